import { AuthError } from '@portcullis/core';

import { MissingTokenError } from '../src/errors.js';
import { extractBearerToken } from '../src/extract-token.js';

const MAX_TOKEN_BYTES = 64;

function failureOf(header: string | undefined): AuthError {
  try {
    extractBearerToken(header, MAX_TOKEN_BYTES);
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }

  throw new Error('no failure');
}

describe('extractBearerToken', () => {
  describe('when the header holds one bearer token', () => {
    it.each([
      ['Bearer abc.def.ghi', 'abc.def.ghi'],
      ['bearer abc', 'abc'],
      ['BEARER abc', 'abc'],
      ['Bearer   abc', 'abc'],
      ['Bearer a-b_c~d+e/f==', 'a-b_c~d+e/f=='],
      ['  Bearer abc  ', 'abc'],
      [`Bearer ${'a'.repeat(MAX_TOKEN_BYTES)}`, 'a'.repeat(MAX_TOKEN_BYTES)],
    ])('reads %j as %j', (header, token) => {
      expect(extractBearerToken(header, MAX_TOKEN_BYTES)).toBe(token);
    });
  });

  describe('when the header carries no bearer credentials', () => {
    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['blank', '   '],
      ['Basic credentials', 'Basic dXNlcjpwYXNz'],
      ['a DPoP scheme', 'DPoP abc'],
      ['a longer scheme name', 'Bearerish abc'],
    ])('throws MissingTokenError when it is %s', (_, header) => {
      const error = failureOf(header);

      expect(error).toBeInstanceOf(MissingTokenError);
      expect(error.status).toBe(401);
      expect(error.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    });
  });

  describe('when the header is malformed', () => {
    it.each([
      ['Bearer'],
      ['Bearer '],
      ['Bearer abc def'],
      ['Bearer abc,def'],
      ['Bearer "abc"'],
      ['Bearer abc=def'],
      ['Bearer =abc'],
      ['Bearer\tabc'],
      ['Bearer \tabc'],
      ['Bearer ab\u00e9c'],
    ])('throws invalid_request for %j', (header) => {
      const error = failureOf(header);

      expect(error.code).toBe('invalid_request');
      expect(error.status).toBe(400);
    });
  });

  describe('when the token is larger than maxTokenBytes', () => {
    it.each([
      ['a long token', `Bearer ${'a'.repeat(MAX_TOKEN_BYTES + 1)}`],
      ['a long malformed token', `Bearer ${'$'.repeat(MAX_TOKEN_BYTES + 1)}`],
      ['multi-byte characters', `Bearer ${'\u00e9'.repeat(33)}`],
    ])('throws invalid_token for %s', (_, header) => {
      const error = failureOf(header);

      expect(error.code).toBe('invalid_token');
      expect(error.status).toBe(401);
      expect(error.headers['WWW-Authenticate']).toContain(
        'error="invalid_token"',
      );
    });
  });
});
