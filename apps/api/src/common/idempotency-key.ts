import { invalidField } from './errors';

/** What an `Idempotency-Key` header may hold: 1-100 printable ASCII characters. */
const KEY = /^[\x21-\x7e]{1,100}$/;

/** An optional key (a device may retry without one); a malformed one is refused, never ignored. */
export function optionalIdempotencyKey(header: string | undefined): string | undefined {
  if (header !== undefined && !KEY.test(header)) throw invalidField('Idempotency-Key', 'must be 1-100 printable ASCII characters');
  return header;
}

/** A key the route cannot do without: `why` says what it is for. */
export function requiredIdempotencyKey(header: string | undefined, why: string): string {
  if (header === undefined || !KEY.test(header)) throw invalidField('Idempotency-Key', why);
  return header;
}
