// Fans the RunEvents of live runs out to any number of followers. A live run's events are kept in
// memory until they are on disk, so a follower that joins late replays them without touching the
// disk and without a gap between replay and live events. The events of the last few finished runs
// stay in memory too (a client typically asks for a stream right after creating a run, which a
// stub run has already finished); older runs are replayed from the store.
import { isTerminalRunEventType, type RunEvent } from '@arp-ts/sdk';
import { LruCache } from '../lifecycle/lru.js';

export interface EventFollower {
  send(event: RunEvent): void;
  /** The stream is over: after the terminal event, or when the server lets go of the run. */
  end(): void;
}

interface Channel {
  events: RunEvent[];
  followers: Set<EventFollower>;
  ended: boolean;
}

/** Finished runs whose events are kept for replay by default. */
export const DEFAULT_RECENT_RUNS = 64;

export class EventHub {
  private readonly channels = new Map<string, Channel>();
  private readonly recent: LruCache<string, readonly RunEvent[]>;

  constructor(recentRuns = DEFAULT_RECENT_RUNS) {
    this.recent = new LruCache(recentRuns);
  }

  /** Starts buffering a run's events. */
  open(runId: string): void {
    if (!this.channels.has(runId)) {
      this.channels.set(runId, { events: [], followers: new Set(), ended: false });
    }
  }

  isOpen(runId: string): boolean {
    return this.channels.has(runId);
  }

  publish(event: RunEvent): void {
    const channel = this.channels.get(event.run_id);
    if (!channel || channel.ended) return;
    channel.events.push(event);
    const terminal = isTerminalRunEventType(event.type);
    if (terminal) channel.ended = true;
    for (const follower of channel.followers) {
      follower.send(event);
      if (terminal) follower.end();
    }
    if (terminal) channel.followers.clear();
  }

  /**
   * Replays the events after `afterSeq` and, unless the run already ended, follows it. Returns a
   * function that stops following, or undefined when the run has no live channel (read the store).
   */
  follow(runId: string, afterSeq: number, follower: EventFollower): (() => void) | undefined {
    const channel = this.channels.get(runId);
    if (!channel) {
      const finished = this.recent.get(runId);
      if (!finished) return undefined;
      for (const event of finished) if (event.seq > afterSeq) follower.send(event);
      follower.end();
      return () => undefined;
    }
    for (const event of channel.events) if (event.seq > afterSeq) follower.send(event);
    if (channel.ended) {
      follower.end();
      return () => undefined;
    }
    channel.followers.add(follower);
    return () => {
      channel.followers.delete(follower);
    };
  }

  /** Drops a run's buffer once its events are on disk; followers still attached are ended. */
  release(runId: string): void {
    const channel = this.channels.get(runId);
    if (!channel) return;
    this.channels.delete(runId);
    // Only a complete stream (up to its terminal event) may be replayed from memory.
    if (channel.ended) this.recent.set(runId, channel.events);
    for (const follower of channel.followers) follower.end();
    channel.followers.clear();
  }

  /** Ends every stream (shutdown). */
  releaseAll(): void {
    for (const runId of [...this.channels.keys()]) this.release(runId);
  }

  get followerCount(): number {
    let n = 0;
    for (const channel of this.channels.values()) n += channel.followers.size;
    return n;
  }

  get openChannels(): number {
    return this.channels.size;
  }
}
