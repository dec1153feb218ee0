// YAML loading with PyYAML `safe_load` (YAML 1.1) semantics for what matters to MLflow Projects:
// floats stay distinguishable from ints (`1.0` prints as `1.0`), `1e5` without a dot is a string,
// `yes`/`no`/`on`/`off` are booleans, and no custom tags or aliases bombs are honoured.
import { parseDocument, visit } from 'yaml';
import { PyFloat } from './python';

// PyYAML's implicit resolvers (yaml/resolver.py).
const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PY_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const PY_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const PY_NULL = /^(?:~|null|Null|NULL|)$/;

export class YamlSyntaxError extends Error {}

/** `yaml.safe_load(text)`: returns plain JS values, with YAML floats as `PyFloat`. */
export function pySafeLoad(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length > 0) throw new YamlSyntaxError(doc.errors[0].message);
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== 'PLAIN' || typeof node.source !== 'string') return;
      const src = node.source;
      if (typeof node.value === 'number') {
        if (PY_FLOAT.test(src)) node.value = new PyFloat(node.value);
        else if (!PY_INT.test(src)) node.value = src;
      } else if (typeof node.value === 'boolean') {
        // YAML 1.1 also has y/Y/n/N; PyYAML does not.
        if (!PY_BOOL.test(src)) node.value = src;
      } else if (node.value === null) {
        if (!PY_NULL.test(src)) node.value = src;
      } else if (node.value instanceof Date) {
        node.value = src;
      }
    },
  });
  // Mapping keys are Scalars too; toJS keeps PyFloat values (class instances pass through).
  return doc.toJS({ maxAliasCount: 100 });
}

