import { z } from 'zod';

/*
 * What a text field, header or path parameter may hold. Both ranges stay inside the Basic
 * Multilingual Plane and leave out controls (PostgreSQL refuses NUL), lone surrogates and
 * U+FFFE/U+FFFF: one UTF-16 unit is then one code point, so `max` means the same to zod (UTF-16
 * units) and to a JSON Schema reader (code points), and each pattern reads the same in
 * JavaScript and in other regex dialects (docs/adr/0014-public-contracts-from-zod.md).
 */
const PRINTABLE = '\\u0020-\\u007e\\u00a0-\\ud7ff\\ue000-\\ufffd';
const VISIBLE = '\\u0021-\\u007e\\u00a0-\\ud7ff\\ue000-\\ufffd';
const noSurroundingSpace = (visible: string, printable: string) => new RegExp(`^[${visible}](?:[${printable}]*[${visible}])?$`);

/** Free text (a product name): printable, no control characters, no leading or trailing space. */
export const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(noSurroundingSpace(VISIBLE, PRINTABLE), 'must be printable text without control characters or surrounding spaces');

/** An identifier chosen by a client (sku, customerId) or by us (orderId): safe in a URL path segment as is. */
export const identifier = (max = 100) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._~:@+-]*$/, 'must start with a letter or digit and use only letters, digits and . _ ~ : @ + -');

/** A header value such as Idempotency-Key: visible ASCII, inner spaces allowed (RFC 9110 field values). */
export const headerToken = (max: number) =>
  z.string().min(1).max(max).regex(noSurroundingSpace('\\u0021-\\u007e', '\\u0020-\\u007e'), 'must be visible ASCII');
