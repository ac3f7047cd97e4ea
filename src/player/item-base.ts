import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Item } from '../core/index.ts';
import { CcspItemErrorEvent, ItemError, type ItemErrorReason } from './events.ts';
import { mediaUrl, type MediaResolver } from './media-url.ts';

/**
 * What every item component shares (the Spectrum split: behaviour here, styles and
 * rendering in the concrete class). An item element lives once: the player creates
 * it, calls `prepare()` while it is hidden underneath the item on screen, `start()`
 * when it fades in, and removes it afterwards, which releases everything it holds.
 */
export abstract class CcspItemBase<T extends Item = Item> extends LitElement {
  /** Aborted when the element leaves the page: every listener of the element is registered with it. */
  protected readonly life = new AbortController();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private failed = false;

  /** The language pass shown: 0 is the item's language, then its translations in manifest order. */
  @state() protected pass = 0;

  /** The item to show. */
  @property({ attribute: false }) item!: T;

  /** Where media files are loaded from. */
  @property({ attribute: false }) resolveMedia: MediaResolver = mediaUrl;

  /** Effective duration of this showing, in milliseconds. */
  @property({ type: Number }) duration = 0;

  /** How long a medium may take to load or to start before the item is skipped, in milliseconds. */
  @property({ type: Number, attribute: 'watchdog-ms' }) watchdogMs = 5000;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  /** Number of language passes: the item's language and each translation. */
  protected get passes(): number {
    const translations = (this.item as { translations?: unknown[] }).translations;
    return 1 + (translations?.length ?? 0);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('item')) this.lang = this.item.lang;
  }

  /** Resolves when the item can be shown at once (media loaded and decoded); rejects with an ItemError. */
  async prepare(): Promise<void> {
    try {
      await this.updateComplete;
      await this.withWatchdog(this.prepareMedia(), 'prepare-timeout');
    } catch (e) {
      const error = e instanceof ItemError ? e : new ItemError('media-undecodable', String(e));
      this.fail(error.reason, error.message);
      throw error;
    }
  }

  protected prepareMedia(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Shows the item's language, then each translation, one after the other within
   * the item's duration, in equal shares: the manifest gives no timing, and equal
   * shares give every reader the same time (issue 3, "Languages").
   */
  start(): void {
    const n = this.passes;
    if (n < 2 || this.duration <= 0) return;
    const share = this.duration / n;
    for (let i = 1; i < n; i++) this.later(() => (this.pass = i), share * i);
  }

  /** Releases what the element holds; called when it leaves the page. */
  protected release(): void {
    this.life.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  protected later(fn: () => void, ms: number): void {
    if (this.life.signal.aborted) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Reports a failure once, as a `ccsp-item-error` event the player acts on. */
  protected fail(reason: ItemErrorReason, message: string): void {
    if (this.failed || this.life.signal.aborted) return;
    this.failed = true;
    this.dispatchEvent(new CcspItemErrorEvent({ itemId: this.item.id, reason, message }));
  }

  protected withWatchdog<V>(work: Promise<V>, reason: ItemErrorReason): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new ItemError(reason, `not ready after ${this.watchdogMs} ms`)),
        this.watchdogMs,
      );
      this.timers.add(t);
      work.then(
        (v) => {
          clearTimeout(t);
          this.timers.delete(t);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(t);
          this.timers.delete(t);
          reject(e);
        },
      );
    });
  }

  /** Decodes every image of the shadow root; a missing or undecodable one rejects. */
  protected async decodeImages(): Promise<void> {
    const images = [...(this.renderRoot as ShadowRoot).querySelectorAll('img')];
    await Promise.all(
      images.map((img) =>
        img.decode().catch(() => {
          throw new ItemError('media-undecodable', `image ${img.src} is missing or cannot be decoded`);
        }),
      ),
    );
  }
}
