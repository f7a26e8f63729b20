import { createRedactor, type Redactor } from '../../core/security/redaction.js';
import { secretValues } from '../../core/security/redactionSecrets.js';

/**
 * Every secret this process has loaded or saved, and a redactor over all of them: the logger and
 * the places that store provider text (failures, conflicts, alerts) pass what they write through
 * it. One per process, made by the composition root. Secrets are only ever added: a replaced
 * credential must not leak either, and a process sees few enough of them to keep them all.
 */
export class SecretRedaction implements Redactor {
  readonly #values = new Set<string>();
  #redactor: Redactor = createRedactor([]);
  #stale = false;

  /** Adds the values of a stored secret: the strings of a credentials document, or the text itself. */
  addStored(stored: string): void {
    for (const value of secretValues(stored)) this.add(value);
  }

  add(value: string): void {
    if (this.#values.has(value)) return;
    this.#values.add(value);
    this.#stale = true;
  }

  redact(text: string): string {
    return this.#current().redact(text);
  }

  redactValue<T>(value: T): T {
    return this.#current().redactValue(value);
  }

  /** Rebuilt on first use after an addition, so loading many secrets at once builds it once. */
  #current(): Redactor {
    if (this.#stale) {
      this.#redactor = createRedactor(this.#values);
      this.#stale = false;
    }
    return this.#redactor;
  }
}
