/**
 * The two patch flavours `PATCH /api/v1/applications/{name}` accepts:
 * RFC 6902 JSON Patch (`patchType` "json" or empty) and RFC 7386 JSON Merge
 * Patch (`patchType` "merge"), both applied to the whole Application object.
 */

type Json = unknown;

export class PatchError extends Error {}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) {
    return structuredClone(patch);
  }
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value);
    }
  }
  return result;
}

interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer "${pointer}"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, tokens: string[]): Json {
  let node = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      node = node[Number(token)];
    } else if (isObject(node)) {
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

function parentOf(doc: Json, tokens: string[], path: string) {
  const parent = getAt(doc, tokens.slice(0, -1));
  if (!Array.isArray(parent) && !isObject(parent)) {
    throw new PatchError(`doc is missing path: "${path}"`);
  }
  return { parent, key: tokens[tokens.length - 1] };
}

function arrayIndex(arr: Json[], key: string, allowEnd: boolean, path: string) {
  if (allowEnd && key === '-') {
    return arr.length;
  }
  const index = Number(key);
  const max = allowEnd ? arr.length : arr.length - 1;
  if (!/^\d+$/.test(key) || index > max) {
    throw new PatchError(`index out of bounds at path "${path}"`);
  }
  return index;
}

function add(doc: Json, path: string, value: Json): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) {
    return structuredClone(value);
  }
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    parent.splice(
      arrayIndex(parent, key, true, path),
      0,
      structuredClone(value),
    );
  } else {
    parent[key] = structuredClone(value);
  }
  return doc;
}

function remove(doc: Json, path: string): Json {
  const tokens = parsePointer(path);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, key, false, path), 1);
  } else {
    if (!(key in parent)) {
      throw new PatchError(
        `Unable to remove nonexistent key: ${key}: missing value`,
      );
    }
    delete parent[key];
  }
  return doc;
}

export function applyJsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) {
    throw new PatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  let doc = structuredClone(target);
  for (const raw of operations as PatchOperation[]) {
    if (!isObject(raw) || typeof raw.path !== 'string') {
      throw new PatchError('invalid patch operation');
    }
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, raw.value);
        break;
      case 'remove':
        doc = remove(doc, raw.path);
        break;
      case 'replace':
        if (getAt(doc, parsePointer(raw.path)) === undefined) {
          throw new PatchError(
            `replace operation does not apply: doc is missing key: ${raw.path}: missing value`,
          );
        }
        doc = add(remove(doc, raw.path), raw.path, raw.value);
        break;
      case 'move': {
        const value = getAt(doc, parsePointer(raw.from ?? ''));
        doc = add(remove(doc, raw.from ?? ''), raw.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, raw.path, getAt(doc, parsePointer(raw.from ?? '')));
        break;
      case 'test':
        if (
          JSON.stringify(getAt(doc, parsePointer(raw.path))) !==
          JSON.stringify(raw.value)
        ) {
          throw new PatchError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(
          `Unexpected kind: ${String((raw as { op: unknown }).op)}`,
        );
    }
  }
  return doc;
}
