// ~3000 objects -> JSON.stringify -> JSON.parse -> a small summary, so the response stays small.
function build(n) {
  var items = new Array(n);
  for (var i = 0; i < n; i++) {
    items[i] = {
      id: i,
      name: "item-" + i,
      tags: ["t" + (i % 7), "t" + (i % 11), "t" + (i % 13)],
      nested: { a: i * 2, b: "x" + (i % 100), c: { flag: i % 3 === 0, pair: [i, i + 1] } }
    };
  }
  return items;
}

function main(data) {
  var text = JSON.stringify(build(3000));
  var back = JSON.parse(text);
  var sum = 0;
  for (var i = 0; i < back.length; i++) {
    var o = back[i];
    sum = (sum * 31 + o.id + o.name.length + o.tags.length + o.nested.a + o.nested.b.length + o.nested.c.pair[1]) % 1000000007;
  }
  return { count: back.length, bytes: text.length, checksum: sum };
}
