/** One server-sent event: its name (`message` when none is given) and its data lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Pure, incremental parser of a text/event-stream: feed it text as it arrives (chunks may split an
 * event anywhere); it returns the events completed so far. Comments (`:` lines) and fields other
 * than `event` and `data` are ignored.
 */
export class EventStreamParser {
  private buffer = '';
  /** A chunk ending in `\r` may be half of a `\r\n`: it is read with the next chunk. */
  private pendingCr = false;

  push(text: string): ServerSentEvent[] {
    let raw = (this.pendingCr ? '\r' : '') + text;
    this.pendingCr = raw.endsWith('\r');
    if (this.pendingCr) raw = raw.slice(0, -1);
    this.buffer += raw.replace(/\r\n?/g, '\n');
    const events: ServerSentEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) events.push({ event, data: data.join('\n') });
    }
    return events;
  }
}
