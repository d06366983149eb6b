/**
 * The response-header size budget. Proxies and browsers refuse responses
 * whose headers pass their limits (commonly 8 to 16 KiB), which shows up as
 * a login that fails for no visible reason; this check reports a response
 * that comes close, before a limit is hit.
 */

import type { ServerResponse } from 'node:http';

/** Bytes added per header line for ': ' and CRLF. */
const LINE_OVERHEAD_BYTES = 4;

/** The size of the response headers as they would be written, in bytes. */
export function responseHeaderBytes(res: ServerResponse): number {
  let total = 0;
  for (const [name, value] of Object.entries(res.getHeaders())) {
    const values = Array.isArray(value) ? value : [String(value)];
    for (const line of values) {
      total += Buffer.byteLength(name) + Buffer.byteLength(line);
      total += LINE_OVERHEAD_BYTES;
    }
  }
  return total;
}
