/**
 * XMLHttpRequest for upload tests, which have no server: it reports upload
 * progress in steps, then answers what the test says (a status and a JSON body).
 */
export interface FakeAnswer {
  status: number;
  body: unknown;
}

export interface FakeXhr {
  sent: { url: string; body: unknown }[];
  restore(): void;
}

export function fakeXhr(answer: (url: string) => FakeAnswer, steps = 4): FakeXhr {
  const real = window.XMLHttpRequest;
  const sent: FakeXhr['sent'] = [];
  class Fake extends EventTarget {
    upload = new EventTarget();
    status = 0;
    responseText = '';
    withCredentials = false;
    private url = '';
    private aborted = false;
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader() {}
    getResponseHeader(name: string) {
      return name.toLowerCase() === 'content-type' ? 'application/json' : null;
    }
    abort() {
      this.aborted = true;
      this.dispatchEvent(new Event('abort'));
    }
    send(body: unknown) {
      sent.push({ url: this.url, body });
      const total = 1000;
      let i = 0;
      const tick = () => {
        if (this.aborted) return;
        if (i < steps) {
          i++;
          this.upload.dispatchEvent(
            new ProgressEvent('progress', { lengthComputable: true, loaded: (total * i) / steps, total }),
          );
          setTimeout(tick, 30);
          return;
        }
        const a = answer(this.url);
        this.status = a.status;
        this.responseText = JSON.stringify(a.body);
        this.dispatchEvent(new Event('load'));
      };
      setTimeout(tick, 30);
    }
  }
  window.XMLHttpRequest = Fake as unknown as typeof XMLHttpRequest;
  return {
    sent,
    restore: () => {
      window.XMLHttpRequest = real;
    },
  };
}
