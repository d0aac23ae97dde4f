package io.scriptforge.sandbox;

/**
 * What a hostile tenant tries first in any JavaScript sandbox: replacing the built-ins a platform library calls, so
 * that the library hands its internals (a module loader, a host bridge, a callback) to the tenant's spy. As JavaScript
 * to put into a Script or an App file: {@code tryBuiltInHooks(reached)} tries every hook, returns the names of those
 * that took, and each spy that is ever called adds its name to {@code reached}.
 */
public final class BuiltInHooks {
    public static final String SOURCE = """
            function tryBuiltInHooks(reached) {
              const apply = Reflect.apply;
              const { defineProperty, getOwnPropertyDescriptor } = Object;
              const spy = (name, original) => function (...args) { reached.push(name); return apply(original, this, args); };
              const hooked = [];
              const methods = [
                ['Function.prototype.call', Function.prototype, 'call'], ['Function.prototype.apply', Function.prototype, 'apply'],
                ['Function.prototype.bind', Function.prototype, 'bind'], ['Reflect.apply', Reflect, 'apply'],
                ['Map.prototype.get', Map.prototype, 'get'], ['Map.prototype.set', Map.prototype, 'set'],
                ['Array.prototype.push', Array.prototype, 'push'], ['Array.prototype[Symbol.iterator]', Array.prototype, Symbol.iterator],
                ['Promise.prototype.then', Promise.prototype, 'then'], ['Object.defineProperty', Object, 'defineProperty'],
                ['Object.assign', Object, 'assign'], ['JSON.parse', JSON, 'parse'], ['String.prototype.split', String.prototype, 'split'],
              ];
              for (const [name, owner, key] of methods) {
                const original = owner[key];
                try { owner[key] = spy(name, original); } catch (e) { }
                try { defineProperty(owner, key, { value: spy(name, original) }); } catch (e) { }
                if (owner[key] !== original) hooked.push(name);
              }
              // a setter on Object.prototype sees every `module.exports = ...` or `x.then = ...` of anyone
              for (const key of ['exports', 'then', 'default']) {
                try { defineProperty(Object.prototype, key, { set() { reached.push('Object.prototype.' + key); }, configurable: true }); } catch (e) { }
                if (getOwnPropertyDescriptor(Object.prototype, key)) hooked.push('Object.prototype.' + key);
              }
              // a built-in global that a library looks up later (a bundle evaluated on first use)
              for (const name of ['Object', 'Function', 'Promise', 'Map', 'Reflect', 'JSON', 'Array']) {
                const original = globalThis[name];
                const fake = function () { reached.push('global ' + name); };
                try { globalThis[name] = fake; } catch (e) { }
                try { defineProperty(globalThis, name, { value: fake }); } catch (e) { }
                if (globalThis[name] !== original) hooked.push('global ' + name);
              }
              return hooked;
            }
            """;

    private BuiltInHooks() {}
}
