/** Where a command's answer goes: the API's JSON with --json, a human rendering otherwise. */
export interface Output {
  json: boolean;
  /** Prints `data` as JSON, or what `render` makes of it. */
  show(data: unknown, render: () => string): void;
  /** A note for people (progress, hints): stderr, so stdout stays the answer. */
  note(text: string): void;
}

export const consoleOutput = (json: boolean): Output => ({
  json,
  show(data, render) {
    process.stdout.write(`${json ? JSON.stringify(data, null, 2) : render()}\n`);
  },
  note(text) {
    process.stderr.write(`${text}\n`);
  },
});
