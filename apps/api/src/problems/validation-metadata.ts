import { getMetadataStorage } from 'class-validator';

/**
 * class-validator looks a class's rules up on every object it validates, and that lookup walks the rules of every
 * decorated class in the process (an `instanceof` per class, for inherited rules), then groups them by property: most
 * of validation's own time per request. The rules only change while classes are being defined, so the lookups and
 * their groupings are kept, per class and options, and forgotten whenever a rule, constraint or schema is added.
 */
type Storage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = ReturnType<Storage['getTargetValidationMetadatas']>[number];

export interface ValidationMetadataCache {
  /** Lookups answered by walking the rules (not from the cache) since start: for tests. */
  readonly misses: number;
}

let installed: ValidationMetadataCache | undefined;

/** Installs the cache on class-validator's global storage, once per process; answers its counter. */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): ValidationMetadataCache {
  if (installed) return installed;
  const counter = { misses: 0 };
  let lookups = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const forget = () => {
    lookups = new Map();
    groupings = new WeakMap();
  };

  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byOptions = lookups.get(target);
    if (byOptions === undefined) lookups.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (found === undefined) {
      counter.misses++;
      found = lookup(target, schema, always, strictGroups, groups);
      byOptions.set(key, found);
    }
    return found;
  };
  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadata) => {
    let grouped = groupings.get(metadata);
    if (grouped === undefined) groupings.set(metadata, (grouped = group(metadata)));
    return grouped;
  };
  for (const method of ['addValidationSchema', 'addValidationMetadata', 'addConstraintMetadata'] as const) {
    const add = storage[method].bind(storage) as (argument: never) => void;
    (storage as unknown as Record<string, (argument: never) => void>)[method] = (argument) => {
      forget();
      add(argument);
    };
  }
  installed = counter;
  return counter;
}
