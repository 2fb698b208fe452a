/**
 * Checks an xlsx (zip) container before anything parses it: how many entries, how much it expands to, the worst
 * compression ratio, and entry names that climb out of their folder. A zip bomb is stopped while it inflates, within
 * the byte limit, never after.
 */
import yauzl from 'yauzl';

export interface ZipLimits {
  maxZipEntries: number;
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

/** Rejects (with the reason as the message) when the container breaks a limit or is not a readable zip. */
export function inspectZip(source: { file: string } | { buffer: Buffer }, limits: ZipLimits): Promise<void> {
  return new Promise((resolve, reject) => {
    const opened = (err: Error | null, zip?: yauzl.ZipFile) => {
      if (err || !zip) return reject(new Error(`not a valid xlsx (zip) file: ${err?.message ?? 'unreadable'}`));
      let entries = 0;
      let total = 0;
      let failed = false;
      const fail = (reason: string) => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(new Error(reason));
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++entries > limits.maxZipEntries) return fail(`more than ${limits.maxZipEntries} entries inside the xlsx`);
        if (entry.fileName.startsWith('/') || entry.fileName.includes('..')) return fail(`unsafe entry name ${entry.fileName}`);
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(`damaged xlsx entry ${entry.fileName}`);
          let inflated = 0;
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            total += chunk.length;
            const ratio = inflated / Math.max(1, entry.compressedSize);
            if (total > limits.maxUncompressedBytes) {
              stream.destroy();
              fail(`expands to more than ${limits.maxUncompressedBytes} bytes`);
            } else if (inflated > 1024 * 1024 && ratio > limits.maxCompressionRatio) {
              stream.destroy();
              fail(`entry ${entry.fileName} is compressed ${Math.round(ratio)}:1, over the limit of ${limits.maxCompressionRatio}:1`);
            }
          });
          stream.on('error', () => fail(`damaged xlsx entry ${entry.fileName}`));
          stream.on('end', () => !failed && zip.readEntry());
        });
      });
      zip.on('end', () => !failed && resolve());
      zip.on('error', (e: Error) => fail(`damaged xlsx: ${e.message}`));
      zip.readEntry();
    };
    if ('file' in source) yauzl.open(source.file, { lazyEntries: true, validateEntrySizes: false }, opened);
    else yauzl.fromBuffer(source.buffer, { lazyEntries: true, validateEntrySizes: false }, opened);
  });
}
