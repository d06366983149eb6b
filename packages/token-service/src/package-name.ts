/** The package name that starts every configuration error message. */

export const PACKAGE_NAME = '@portcullis/token-service';
