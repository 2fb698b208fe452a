/**
 * The invisible and visible marks an export carries so that a leaked copy leads back to it. Pure: the keys and the
 * register live elsewhere; this file only says what a mark looks like and how to find one in text.
 *
 * - A **row mark** names each exported row (the 线索编号 column): 12 Crockford base-32 characters (60 bits) of a keyed
 *   hash of the export id and the finding, so the same finding has another mark in every export and nobody without
 *   the key can make one that the register knows.
 * - An **export tag** (40 bits, keyed) is written as 20 zero-width characters inside descriptive text cells (rule name,
 *   category, division name): invisible on screen and in print, kept by Excel and LibreOffice when they re-save, and
 *   by copy-paste. Never inside a name, an ID number, an amount or a date.
 */

/** Four zero-width code points: two bits each. */
const ZW = ['\u200B', '\u200C', '\u200D', '\u2060'] as const;
const ZW_INDEX = new Map<string, number>(ZW.map((c, i) => [c, i]));
const TAG_HEX = 10; // 40 bits
const TAG_CHARS = TAG_HEX * 2;
const ZW_RUN = /(?:\u200B|\u200C|\u200D|\u2060)+/g;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ROW_MARK_LENGTH = 12;
/** A row mark standing alone in text (not part of a longer word or number). */
const ROW_MARK_TOKEN = new RegExp(`(?<![0-9A-Z])[${CROCKFORD}]{${ROW_MARK_LENGTH}}(?![0-9A-Z])`, 'g');

/** The first 60 bits of a keyed digest as a row mark. */
export function rowMarkFromDigest(digest: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < ROW_MARK_LENGTH) {
      out += CROCKFORD[(value >> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === ROW_MARK_LENGTH) break;
  }
  return out;
}

const CROCKFORD_VALUE = new Map<string, number>([...CROCKFORD].map((c, i) => [c, i]));

/** The 60-bit number a row mark spells (how the register stores it), or null for a string that is not a mark. */
export function rowMarkToInt(mark: string): bigint | null {
  if (mark.length !== ROW_MARK_LENGTH) return null;
  let n = 0n;
  for (const c of mark) {
    const v = CROCKFORD_VALUE.get(c);
    if (v === undefined) return null;
    n = (n << 5n) | BigInt(v);
  }
  return n;
}

export function rowMarkFromInt(n: bigint): string {
  let out = '';
  for (let i = ROW_MARK_LENGTH - 1; i >= 0; i--) out += CROCKFORD[Number((n >> BigInt(5 * i)) & 31n)];
  return out;
}

/** The first 40 bits of a keyed digest as an export tag (hex). */
export function exportTagFromDigest(digest: Uint8Array): string {
  return Buffer.from(digest.subarray(0, TAG_HEX / 2)).toString('hex');
}

/** An export tag as zero-width characters. */
export function zeroWidthTag(tagHex: string): string {
  let out = '';
  for (const nibble of tagHex) {
    const v = parseInt(nibble, 16);
    out += ZW[v >> 2]! + ZW[v & 3]!;
  }
  return out;
}

/** Puts the invisible tag after the first character of a descriptive text (an empty text stays empty). */
export function withZeroWidthTag(text: string, invisibleTag: string): string {
  if (!text) return text;
  const first = String.fromCodePoint(text.codePointAt(0)!);
  return first + invisibleTag + text.slice(first.length);
}

/** Every export tag hidden in a text: runs of exactly one tag's length (longer runs are read tag by tag). */
export function findZeroWidthTags(text: string): string[] {
  const tags: string[] = [];
  for (const run of text.match(ZW_RUN) ?? []) {
    for (let i = 0; i + TAG_CHARS <= run.length; i += TAG_CHARS) {
      let hex = '';
      for (let j = i; j < i + TAG_CHARS; j += 2) hex += ((ZW_INDEX.get(run[j]!)! << 2) | ZW_INDEX.get(run[j + 1]!)!).toString(16);
      tags.push(hex);
    }
  }
  return tags;
}

/** Every token in a text that could be a row mark (the register decides which are). */
export function findRowMarks(text: string): string[] {
  return text.toUpperCase().match(ROW_MARK_TOKEN) ?? [];
}

/** The text without any zero-width characters (what a reader sees). */
export function withoutZeroWidth(text: string): string {
  return text.replace(ZW_RUN, '');
}
