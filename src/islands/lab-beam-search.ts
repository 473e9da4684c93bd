/**
 * The beam search lab: reads the settings form, runs the pure search once per change, and shows
 * its steps one at a time. The step markup mirrors src/components/labs/BeamStepTable.astro, which
 * renders the worked example without JavaScript.
 */
import {
  beamSearch,
  describePenalty,
  describeResult,
  describeStep,
  formatNumber,
  formatTokens,
  greedy,
  prompt,
  weatherMaxLength as maxLength,
  weatherTree as tree,
  type BeamOptions,
  type BeamResult,
  type StepView,
} from '../labs/beam-search';

type Child = Node | string;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function stepSection(view: StepView): HTMLElement {
  const header = ['Candidate (prefix + token)', 'log p', 'p', 'Score', 'Outcome'];
  const rows = view.rows.map((row) => {
    const name = h('th', { scope: 'row' }, `${row.prefix} + `, h('strong', {}, row.token));
    if (row.greedy) name.append(' ', h('span', { class: 'beam-greedy' }, 'greedy'));
    const cells = [row.logProb, row.prob, row.score, row.outcome].map((text) => h('td', {}, text));
    return h('tr', { 'data-status': row.status }, name, ...cells);
  });
  const list = (tag: 'ul' | 'ol', attribute: string, items: string[], empty: string) =>
    items.length > 0
      ? h(tag, { [attribute]: '' }, ...items.map((item) => h('li', {}, item)))
      : empty;
  return h(
    'section',
    { class: 'beam-step', 'data-beam-step': String(view.step) },
    h('h3', {}, `Step ${view.step}`),
    h(
      'table',
      { class: 'beam-table' },
      h('caption', {}, view.caption),
      h('thead', {}, h('tr', {}, ...header.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, ...rows),
    ),
    h(
      'dl',
      { class: 'beam-summary' },
      h('dt', {}, 'Kept beams'),
      h('dd', {}, list('ul', 'data-kept', view.kept, 'none live')),
      h('dt', {}, 'Finished (score)'),
      h('dd', {}, list('ol', 'data-finished', view.finished, 'none yet')),
      h('dt', {}, 'Greedy'),
      h('dd', {}, view.greedyNote),
      h('dt', {}, 'Stop?'),
      h('dd', {}, view.stopNote),
    ),
  );
}

function start(root: HTMLElement): void {
  const form = root.querySelector<HTMLFormElement>('[data-beam-controls]');
  const output = root.querySelector<HTMLElement>('[data-beam-output]');
  const status = root.querySelector<HTMLElement>('[data-beam-status]');
  if (!form || !output || !status) {
    console.error('Beam search lab: the page is missing its form, output or status element');
    return;
  }
  const greedyPath = greedy(tree, maxLength);
  let options: BeamOptions;
  let result: BeamResult;
  let shown = 0;

  const read = (): BeamOptions => {
    const data = new FormData(form);
    return {
      width: Number(data.get('width')),
      alpha: Number(data.get('alpha')),
      kind: data.get('kind') === 'simple' ? 'simple' : 'gnmt',
      maxLength,
      earlyStop: data.get('earlyStop') !== null,
    };
  };

  const compute = () => {
    options = read();
    result = beamSearch(tree, options);
    form.querySelector('[data-beam-width-value]')!.textContent = String(options.width);
    form.querySelector('[data-beam-alpha-value]')!.textContent = options.alpha.toFixed(1);
  };

  const greedyLine = h(
    'p',
    { class: 'beam-greedy-path', 'data-greedy-path': '' },
    `Greedy, for comparison: ${greedyPath.steps.map((step) => `${step.token} (${step.prob.toFixed(2)})`).join(' → ')}, p ${formatNumber(Math.exp(greedyPath.logProb))}.`,
  );

  const render = () => {
    const total = result.steps.length;
    const views = result.steps
      .slice(0, shown)
      .map((step) => describeStep(step, greedyPath, options));
    const content: Node[] = [greedyLine];
    if (shown === 0) {
      content.push(
        h('p', {}, `Before step 1 there is one live beam, the empty prefix after “${prompt}”.`),
      );
    }
    content.push(...views.map(stepSection));
    const outcome = describeResult(result, greedyPath, options);
    if (shown === total) {
      const text = [outcome.beam, outcome.greedy, outcome.comparison].join(' ');
      content.push(h('p', { class: 'beam-result', 'data-beam-result': '' }, text));
    }
    output.replaceChildren(...content);

    const setDisabled = (action: string, disabled: boolean) =>
      form
        .querySelector(`[data-beam-action="${action}"]`)
        ?.setAttribute('aria-disabled', String(disabled));
    setDisabled('back', shown === 0);
    setDisabled('reset', shown === 0);
    setDisabled('step', shown === total);
    setDisabled('end', shown === total);

    const settings = `B = ${options.width}, ${describePenalty(options.alpha, options.kind)}`;
    const last = views.at(-1);
    status.textContent =
      shown === total
        ? `Done after ${total} steps (${settings}): beam search returns “${result.best ? formatTokens(result.best.tokens) : 'nothing'}”, greedy “${formatTokens(greedyPath.tokens)}”.`
        : last
          ? `Step ${shown} of ${total} (${settings}): kept ${last.kept.join(', ') || 'none'}; finished ${last.finished.length}.`
          : `Step 0 of ${total} (${settings}): press Step forward.`;
  };

  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('input', () => {
    const atEnd = shown === result.steps.length;
    compute();
    shown = atEnd ? result.steps.length : Math.min(shown, result.steps.length);
    render();
  });
  form.addEventListener('click', (event) => {
    const button = event.target instanceof Element && event.target.closest('[data-beam-action]');
    if (!button || button.getAttribute('aria-disabled') === 'true') return;
    const action = button.getAttribute('data-beam-action');
    const total = result.steps.length;
    if (action === 'step') shown = Math.min(shown + 1, total);
    else if (action === 'back') shown = Math.max(shown - 1, 0);
    else if (action === 'end') shown = total;
    else if (action === 'reset') shown = 0;
    render();
  });

  compute();
  render();
  root.dataset.beamReady = '';
}

for (const root of document.querySelectorAll<HTMLElement>('[data-beam-lab]')) start(root);
