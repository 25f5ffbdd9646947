import * as z from './zod.js';

/** Field schemas shared by the domain's request bodies, with Japanese messages. */

/** Required text, trimmed, with its label in the messages. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label}は文字列で指定してください。` })
    .check(
      z.trim(),
      z.minLength(1, { error: `${label}を入力してください。` }),
      z.maxLength(max, { error: `${label}は${max}文字以内で入力してください。` }),
    );

/** A yes/no field (JSON true or false), with its label in the message. */
export const flagField = (label: string) => z.boolean({ error: `${label}は true か false で指定してください。` });

/** Ids are ULIDs (Crockford base32, 26 characters). */
export const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ulidSchema = z.string().check(z.regex(ulidPattern, { error: 'IDの形式が正しくありません。' }));

/** The id of a training's attendance roll for one 課 (`rollIdOf` in training.ts): a ULID, a hyphen and a 課 code. */
export const rollIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}-[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
