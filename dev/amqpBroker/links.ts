/**
 * AMQP links: attaches, sends into queues, deliveries to receivers under credit and drain,
 * settlement outcomes, and the request/reply pairs of `$cbs` and `q/$management`.
 */
import type { Connection, Container, Delivery, EventContext, Message, Sender, link } from 'rhea';
import { conditions, deliveryStates, messageIdOf, messagesOfTransfer, outgoingMessage, scheduledTimeOf } from './amqpMessages.js';
import { cbsReply } from './cbs.js';
import { deliveryTagOf, lockTokenOfDeliveryTag } from './lockToken.js';
import { MANAGEMENT_SUFFIX, managementReply } from './management.js';
import { LockLost, type Properties, type Queue } from './queueState.js';
import { EntityNotFound, type QueueRegistry } from './queues.js';

const CBS_ADDRESS = '$cbs';

/** Attach fields rhea sends back; its typings only expose the remote side. */
interface LocalAttach {
  local: { attach: { max_message_size?: number; snd_settle_mode?: number; rcv_settle_mode?: number } };
}

type Role = { kind: 'cbs' } | { kind: 'management'; queueAddress: string } | { kind: 'queue'; address: string };

function roleOf(address: string | undefined): Role | undefined {
  if (!address) return undefined;
  if (address === CBS_ADDRESS) return { kind: 'cbs' };
  if (address.endsWith(MANAGEMENT_SUFFIX)) return { kind: 'management', queueAddress: address.slice(0, -MANAGEMENT_SUFFIX.length) };
  return { kind: 'queue', address };
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Links {
  /** Server-side senders, i.e. the clients' receivers, per queue. */
  readonly #receivers = new Map<Queue, Set<Sender>>();
  readonly #queueOf = new WeakMap<Sender, Queue>();
  /** Senders asked to drain: they send nothing more until the client's next flow. */
  readonly #draining = new WeakSet<Sender>();
  /** Deliveries handed to rhea this tick: it counts them against credit only once it writes them. */
  readonly #unwritten = new WeakMap<Sender, number>();

  constructor(
    private readonly queues: QueueRegistry,
    private readonly maxMessageSizeBytes: number,
  ) {}

  listen(container: Container): void {
    container.on('sender_open', (c: EventContext) => this.#opened(c.sender!, c.sender!.source?.address));
    container.on('receiver_open', (c: EventContext) => this.#opened(c.receiver!, c.receiver!.target?.address));
    container.on('sender_close', (c: EventContext) => this.#forget(c.sender!));
    container.on('disconnected', (c: EventContext) => this.#forgetConnection(c.connection));
    container.on('connection_close', (c: EventContext) => this.#forgetConnection(c.connection));
    // rhea raises sender_flow, then sender_draining, then sendable for one flow frame: sending is
    // left to `sendable` so that a drain is answered before anything else goes out.
    container.on('sender_flow', (c: EventContext) => this.#draining.delete(c.sender!));
    container.on('sender_draining', (c: EventContext) => {
      this.#draining.add(c.sender!);
      c.sender!.set_drained(true);
    });
    container.on('sendable', (c: EventContext) => this.#pumpLink(c.sender!));
    container.on('message', (c: EventContext) => this.#received(c));
    container.on('accepted', (c: EventContext) =>
      this.#settled(c.delivery!, deliveryStates.accepted(), (queue, token) => queue.complete(token)),
    );
    container.on('rejected', (c: EventContext) =>
      this.#settled(c.delivery!, deliveryStates.rejected(), (queue, token) => this.#deadLettered(queue, token, c.delivery!)),
    );
    // rhea reports `modified` as `released`; undeliverable_here tells defer from abandon.
    container.on('released', (c: EventContext) => {
      const state = c.delivery!.remote_state as { undeliverable_here?: boolean; message_annotations?: Properties } | undefined;
      const defer = state?.undeliverable_here === true;
      this.#settled(c.delivery!, deliveryStates.modified(defer), (queue, token) =>
        defer ? queue.defer(token, state?.message_annotations) : queue.abandon(token, state?.message_annotations),
      );
    });
  }

  /** Offer a queue's available messages to its receivers. */
  pump(queue: Queue): void {
    for (const sender of this.#receivers.get(queue) ?? []) this.#pumpLink(sender);
  }

  #opened(endpoint: link, address: string | undefined): void {
    // Echo the terminus and settle modes: a null terminus in the reply would mean "refused".
    endpoint.set_source({ address: endpoint.source?.address });
    endpoint.set_target({ address: endpoint.target?.address });
    const local = (endpoint as unknown as LocalAttach).local.attach;
    local.snd_settle_mode = endpoint.snd_settle_mode;
    local.rcv_settle_mode = endpoint.rcv_settle_mode;
    local.max_message_size = this.maxMessageSizeBytes;
    const role = roleOf(address);
    if (role?.kind !== 'queue') return;
    let queue: Queue;
    try {
      queue = this.queues.get(role.address);
    } catch (error) {
      if (!(error instanceof EntityNotFound)) throw error;
      endpoint.close({ condition: conditions.notFound, description: error.message });
      return;
    }
    if (endpoint.is_sender()) {
      const sender = endpoint as Sender;
      this.#queueOf.set(sender, queue);
      const senders = this.#receivers.get(queue) ?? new Set<Sender>();
      this.#receivers.set(queue, senders.add(sender));
    }
  }

  #forget(sender: Sender): void {
    const queue = this.#queueOf.get(sender);
    if (queue) this.#receivers.get(queue)?.delete(sender);
    this.#queueOf.delete(sender);
  }

  /** A dropped connection raises no link events; its receivers must stop taking messages. */
  #forgetConnection(connection: Connection): void {
    for (const senders of this.#receivers.values()) {
      for (const sender of senders) if (sender.connection === connection) this.#forget(sender);
    }
  }

  #pumpLink(sender: Sender): void {
    const queue = this.#queueOf.get(sender);
    if (!queue) return;
    while (sender.sendable() && !this.#draining.has(sender) && this.#credit(sender) > 0) {
      const message = queue.lockNext();
      if (!message) return;
      const token = message.lockToken!;
      sender.send(outgoingMessage(message, 'delivery'), deliveryTagOf(token));
      this.#countUnwritten(sender);
      // A receive-and-delete client asked for pre-settled deliveries: the message is gone once sent.
      if (sender.snd_settle_mode === 1) queue.complete(token);
    }
  }

  #credit(sender: Sender): number {
    return (sender as unknown as { credit: number }).credit - (this.#unwritten.get(sender) ?? 0);
  }

  /**
   * rhea writes transfers on the next tick (its callback is queued by the first send, so it runs
   * before ours); then its credit is exact again and the link may take more.
   */
  #countUnwritten(sender: Sender): void {
    const count = this.#unwritten.get(sender) ?? 0;
    if (count === 0) {
      process.nextTick(() => {
        this.#unwritten.delete(sender);
        this.#pumpLink(sender);
      });
    }
    this.#unwritten.set(sender, count + 1);
  }

  #received(context: EventContext): void {
    const delivery = context.delivery!;
    const role = roleOf(context.receiver!.target?.address);
    try {
      if (role?.kind === 'cbs') this.#reply(context, cbsReply(context.message!));
      else if (role?.kind === 'management') this.#management(context, role.queueAddress);
      else if (role?.kind === 'queue') {
        const queue = this.queues.get(role.address);
        for (const message of messagesOfTransfer(context.message as Message | Buffer, delivery.format)) {
          queue.enqueue(message, messageIdOf(message), scheduledTimeOf(message));
        }
      }
      delivery.accept();
    } catch (error) {
      const condition = error instanceof EntityNotFound ? conditions.notFound : conditions.internalError;
      delivery.reject({ condition, description: errorMessage(error) });
    }
  }

  #management(context: EventContext, queueAddress: string): void {
    let queue: Queue;
    try {
      queue = this.queues.get(queueAddress);
    } catch (error) {
      if (!(error instanceof EntityNotFound)) throw error;
      const properties = { statusCode: 404, statusDescription: error.message, errorCondition: conditions.notFound };
      this.#reply(context, { body: null, application_properties: properties });
      return;
    }
    this.#reply(context, managementReply(queue, context.message!));
  }

  /** Replies go to the link the requester named in reply_to, on the request's session. */
  #reply(context: EventContext, reply: Message): void {
    const request = context.message!;
    const replyTo = request.reply_to;
    const sender = context.session!.find_sender((s: Sender) => s.name === replyTo || s.target?.address === replyTo);
    sender?.send({ ...reply, correlation_id: request.message_id });
  }

  /**
   * Apply a client's outcome and settle with `state`. A lost lock is reported back as Service Bus
   * does; otherwise the state carries no error (the SDK would take an echoed dead-letter error as a failure).
   */
  #settled(delivery: Delivery, state: unknown, apply: (queue: Queue, lockToken: string) => void): void {
    const queue = this.#queueOf.get(delivery.link as Sender);
    if (!queue) return; // a reply on a $cbs or $management link
    const token = lockTokenOfDeliveryTag(delivery.tag);
    try {
      apply(queue, token);
      settle(delivery, state);
    } catch (error) {
      if (!(error instanceof LockLost)) throw error;
      settle(delivery, deliveryStates.rejected({ condition: conditions.lockLost, description: error.message }));
    }
  }

  #deadLettered(queue: Queue, token: string, delivery: Delivery): void {
    const info = (delivery.remote_state as { error?: { info?: Properties } } | undefined)?.error?.info ?? {};
    const { DeadLetterReason: reason, DeadLetterErrorDescription: description, ...rest } = info;
    queue.deadLetter(token, reason as string | undefined, description as string | undefined, rest);
  }
}

/**
 * In receiver-settle-mode second the client settles first and never again after us, but rhea frees
 * a delivery's slot in the session (2048 of them) only once both sides settled: mark it so, after
 * queueing our disposition, or a long-lived receiver stalls.
 */
function settle(delivery: Delivery, state: unknown): void {
  delivery.update(true, state);
  (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
}
