/** The broker's queues by address: `q` and its dead-letter queue `q/$DeadLetterQueue`. */
import { Queue, type QueueSettings, type QueueStats } from './queueState.js';

export const DEAD_LETTER_SUFFIX = '/$DeadLetterQueue';

/** Service Bus defaults: lock PT1M, max delivery count 10, duplicate detection window PT10M. */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  lockDurationMs: 60_000,
  maxDeliveryCount: 10,
  duplicateDetectionWindowMs: 600_000,
};

/** Thrown for an address that names no queue; the SDK recognises the description's wording. */
export class EntityNotFound extends Error {
  constructor(endpoint: string, address: string) {
    super(`The messaging entity '${endpoint}${address}' could not be found.`);
  }
}

export class QueueRegistry {
  readonly #queues = new Map<string, Queue>();
  readonly #defaults: QueueSettings;
  readonly #declared: Record<string, Partial<QueueSettings>>;
  readonly #autoCreate: boolean;

  constructor(
    /** `sb://host:port/`, for error descriptions. */
    private readonly endpoint: string,
    options: { queues?: Record<string, Partial<QueueSettings>>; defaults?: Partial<QueueSettings>; autoCreateQueues?: boolean },
    private readonly onAvailable: (queue: Queue) => void,
  ) {
    this.#defaults = { ...DEFAULT_QUEUE_SETTINGS, ...options.defaults };
    this.#autoCreate = options.autoCreateQueues ?? true;
    this.#declared = options.queues ?? {};
    this.reset();
  }

  /** Drop every queue and message; declared queues come back empty. */
  reset(): void {
    this.close();
    this.#queues.clear();
    for (const [name, settings] of Object.entries(this.#declared)) this.#create(name, settings);
  }

  /** The queue at `address`, created on first use when auto-creation is on. */
  get(address: string): Queue {
    const existing = this.#queues.get(address);
    if (existing) return existing;
    const parent = address.endsWith(DEAD_LETTER_SUFFIX) ? address.slice(0, -DEAD_LETTER_SUFFIX.length) : address;
    if (!this.#autoCreate || parent === '' || parent.includes('$')) throw new EntityNotFound(this.endpoint, address);
    this.#create(parent, {});
    return this.#queues.get(address)!;
  }

  stats(): Record<string, QueueStats> {
    return Object.fromEntries([...this.#queues].map(([name, queue]) => [name, queue.stats()]));
  }

  close(): void {
    for (const queue of this.#queues.values()) queue.close();
  }

  #create(name: string, overrides: Partial<QueueSettings>): void {
    const settings = { ...this.#defaults, ...overrides };
    const deadLetters = new Queue(`${name}${DEAD_LETTER_SUFFIX}`, settings, undefined, this.onAvailable);
    this.#queues.set(name, new Queue(name, settings, deadLetters, this.onAvailable));
    this.#queues.set(deadLetters.name, deadLetters);
  }
}
