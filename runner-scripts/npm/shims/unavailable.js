// A Node core module the sandbox does not offer (file system, processes, raw sockets, ...): loading it
// works, so libraries that only mention it at the top still load; using any of it throws, naming why.
'use strict';
module.exports = function unavailable(name, why) {
  const fail = (member) => () => { throw new Error("'" + name + "." + member + "' is not available in the ScriptForge sandbox: " + why); };
  return new Proxy(Object.freeze({}), {
    get(target, key) {
      if (typeof key === 'symbol' || key === 'then' || key === '__esModule' || key === 'default') return undefined;
      return fail(key);
    },
  });
};
