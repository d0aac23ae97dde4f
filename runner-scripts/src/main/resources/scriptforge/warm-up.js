// The runner's own warm-up workload, never a tenant's: it does in small what real Scripts do (calls,
// closures, property access of several object shapes, arrays, string building, JSON of a few hundred
// objects, arithmetic loops, exceptions, globals for the per-invocation reset, console and kv calls the
// warm-up refuses), so the compilers have seen those paths before the runner reports ready.
// data: {round, name, items: [{id, name, tags, nested}...]}, posted by the warm-up as a request body
// (a few hundred items in some rounds, a few dozen in most).

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function counter(start) {
  let count = start;
  return { next: () => ++count, get value() { return count; } };
}

function describe(item) {
  const tags = item.tags.filter((t) => t.length > 1).map((t) => t.toUpperCase());
  return `${item.name}#${item.id}[${tags.join(',')}]${item.nested.c.flag ? '!' : ''}`;
}

function shapes(round) {
  // Objects of different shapes through one property read: the inline caches go polymorphic, as in real code.
  const all = [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5, c: 6, b: 7 }, { a: round, b: -round }];
  let sum = 0;
  for (const o of all) sum += o.a * 2 + o.b;
  return sum;
}

function checksum(text) {
  let hash = 7;
  for (let i = 0; i < text.length; i += 7) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return hash;
}

function summarise(items) {
  const byTag = new Map();
  for (const item of items) {
    for (const tag of item.tags) byTag.set(tag, (byTag.get(tag) || 0) + 1);
  }
  return [...byTag.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 5);
}

function parseOrder(text) {
  try {
    const order = JSON.parse(text);
    if (!order.items.length) throw new TypeError('an order needs items');
    return order;
  } catch (e) {
    return { error: e.name + ': ' + e.message };
  }
}

function main(data, ctx) {
  const round = data.round | 0;
  const items = Array.isArray(data.items) ? data.items : [];
  const lines = items.map(describe);
  const text = JSON.stringify({ round, lines, items });
  const back = JSON.parse(text);
  const made = [];
  for (let i = 0; i < 20; i++) made.push({ id: round + i, label: 'n' + i, even: i % 2 === 0 });
  const tally = counter(round);
  made.forEach((m) => { if (m.even) tally.next(); });
  lastWarmUpRound = round; // a global the runtime's reset removes after the invocation
  console.log('warm-up round', round, { items: items.length });
  let kvAnswer;
  try {
    kvAnswer = kv.get('warm-up');
  } catch (e) {
    kvAnswer = e.message.length;
  }
  const bad = parseOrder(round % 2 === 0 ? '{"items": []}' : '{"items": [1, 2');
  const result = {
    round,
    fib: fib(10 + (round % 4)),
    shapes: shapes(round),
    count: back.items.length,
    checksum: checksum(text),
    top: summarise(back.items),
    tally: tally.value,
    greeting: ('Hello, ' + (data.name || 'World')).padEnd(20, '.').replace(/l+/g, 'L'),
    bad: bad.error,
    kv: kvAnswer,
    deadlineSet: ctx.deadline > 0,
  };
  switch (round % 8) {
    case 0: throw new Error('404 Not Found'); // the SIP-style error answer
    case 1: return result.greeting; // text/plain
    case 2: return undefined; // 204
    case 3: throw [486, 'Busy Here']; // the array form of a SIP error
    default: return result; // JSON
  }
}
