import { Injectable } from '@nestjs/common';

/**
 * An in-process wake-up: the relay says it has stamped new events, so this instance's sinks
 * look now rather than at their next poll. Only a shortcut: the sinks also poll, which is how
 * they learn of events stamped by another instance's relay.
 */
@Injectable()
export class FeedSignal {
  private readonly listeners = new Set<() => void>();

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
