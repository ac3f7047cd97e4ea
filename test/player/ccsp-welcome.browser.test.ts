import { expect, fixture, html } from '@open-wc/testing';
import '../../src/player/ccsp-welcome.ts';
import type { CcspWelcome } from '../../src/player/ccsp-welcome.ts';

describe('<ccsp-welcome>', () => {
  const hours = [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, open: '08:00', close: '12:30' },
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, open: '15:00', close: '18:30' },
    { days: ['sat'] as const, open: '09:00', close: '13:00' },
  ];

  it('shows the centre, the clock and the opening hours in French', async () => {
    const el = await fixture<CcspWelcome>(
      html`<ccsp-welcome
        site="CCSP de Lokossa"
        .hours=${hours.map((h) => ({ ...h, days: [...h.days] }))}
      ></ccsp-welcome>`,
    );
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('CCSP de Lokossa');
    const rows = [...el.shadowRoot!.querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling!.textContent,
    ]);
    expect(rows).to.deep.equal([
      ['du lundi au vendredi', '8 h – 12 h 30, 15 h – 18 h 30'],
      ['samedi', '9 h – 13 h'],
    ]);
    const clock = el.shadowRoot!.querySelector('ccsp-clock')!;
    await clock.updateComplete;
    expect(clock.shadowRoot!.querySelector('time')!.textContent).to.match(/ h \d{2}$/);
  });

  it('is accessible', async () => {
    const el = await fixture<CcspWelcome>(html`<ccsp-welcome site="CCSP de Lokossa"></ccsp-welcome>`);
    await expect(el).to.be.accessible();
  });
});
