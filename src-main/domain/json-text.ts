/**
 * JSON that is already text — a rule statement's evidence, as SQLite's json functions wrote it — carried inside a value
 * that is written out as JSON (the `check` report), so that it is not parsed into objects only to be written again.
 * JSON.stringify of anything holding one gives the value it stands for (toJSON); the report writer copies the text as
 * it is (shells/cli/report-json.ts).
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}
