import { TerraformDataSource, TerraformProvider, TerraformResource, Tokenization, type TerraformElement } from "cdktf";

// Read once: in the one-file build every use of a cdktf export goes through a getter.
const TOKENIZATION = Tokenization;
const RESOURCE = TerraformResource;
const DATA_SOURCE = TerraformDataSource;
const PROVIDER = TerraformProvider;

/** What cdktf keeps protected or private on an element and reads in its `toTerraform`. */
interface Internals {
  readonly _imported?: unknown;
  readonly _hasMoved?: boolean;
  readonly rawOverrides: Record<string, unknown>;
  readonly constructNodeMetadata: Record<string, unknown>;
  synthesizeAttributes(): Record<string, unknown>;
}

/** A dynamic block (made by `TerraformIterator.dynamic`; its class is not exported). */
interface DynamicBlock {
  toTerraformDynamicBlockJson(): unknown;
}

/**
 * An element's Terraform JSON, before resolving: what cdktf 0.21's (and cdktn 0.24's)
 * `toTerraform` of a resource, data source or provider returns, built the same way with less
 * work; any other element, and a resource that is moved, imported or has provisioners, is left
 * to cdktf.
 *
 * Why: cdktf turns the meta-argument names of every element, and every attribute name of a
 * provider, into snake case with four regular expressions each time, and copies the attributes
 * twice before they are resolved; at 10x that was 6% of a synthesis. Here the snake-case names
 * are remembered and the copies are plain loops. test/fast-resolve.test.ts compares the stack
 * JSON built from these with cdktf's, byte for byte, on every stack of the fixture organization
 * and on a stack with every meta-argument.
 */
export function elementJson(element: TerraformElement): unknown {
  if (RESOURCE.isTerraformResource(element)) return resourceJson(element) ?? element.toTerraform();
  if (DATA_SOURCE.isTerraformDataSource(element)) {
    const own = internals(element);
    const attributes = deepMerge(dynamicAttributes(own.synthesizeAttributes()), snakeKeys(element.terraformMetaArguments), own.rawOverrides);
    attributes["//"] = own.constructNodeMetadata;
    return { data: { [element.terraformResourceType]: { [element.friendlyUniqueId]: attributes } } };
  }
  if (PROVIDER.isTerraformProvider(element)) {
    const metadata = element.terraformGeneratorMetadata;
    return {
      terraform: { required_providers: { [element.terraformResourceType]: { version: metadata?.providerVersion || metadata?.providerVersionConstraint, source: element.terraformProviderSource } } },
      provider: { [element.terraformResourceType]: [deepMerge(snakeKeys(dynamicAttributes(internals(element).synthesizeAttributes())), internals(element).rawOverrides, element.metaAttributes)] },
    };
  }
  return element.toTerraform();
}

function resourceJson(resource: TerraformResource): unknown {
  const own = internals(resource);
  if (resource.provisioners !== undefined || resource.hasResourceMove() || own._imported !== undefined || own._hasMoved) return undefined;
  // cdktf also merges `{ provisioner: undefined }`, which deletes an attribute of that name.
  const attributes = deepMerge(dynamicAttributes(own.synthesizeAttributes()), snakeKeys(resource.terraformMetaArguments), { provisioner: undefined }, own.rawOverrides);
  attributes["//"] = { ...((attributes["//"] as object | undefined) ?? {}), ...own.constructNodeMetadata };
  return { resource: { [resource.terraformResourceType]: { [resource.friendlyUniqueId]: attributes } } };
}

function internals(element: TerraformElement): Internals {
  return element as unknown as Internals;
}

/** cdktf's `processDynamicAttributes`: plain objects copied, dynamic blocks moved under `dynamic`. */
function dynamicAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (isDynamicBlock(value)) {
      const dynamic = (result.dynamic ??= {}) as Record<string, unknown>;
      dynamic[name] = value.toTerraformDynamicBlockJson();
    } else {
      result[name] = value !== null && typeof value === "object" && value.constructor === Object ? dynamicAttributes(value as Record<string, unknown>) : value;
    }
  }
  return result;
}

function isDynamicBlock(value: unknown): value is DynamicBlock {
  return value !== null && typeof value === "object" && typeof (value as Partial<DynamicBlock>).toTerraformDynamicBlockJson === "function";
}

/**
 * cdktf's `deepMerge` into `target`: objects merge key by key (a token replaces), lists append,
 * `undefined` deletes, anything else replaces. cdktf's errors for a token or non-object target
 * cannot arise here: every target is a fresh plain object.
 */
function deepMerge(target: Record<string, unknown>, ...sources: unknown[]): Record<string, unknown> {
  for (const source of sources) {
    for (const key of Object.keys(source as object)) {
      const value = (source as Record<string, unknown>)[key];
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        if (typeof target[key] !== "object") target[key] = {};
        if (TOKENIZATION.isResolvable(value)) {
          target[key] = value;
          continue;
        }
        deepMerge(target[key] as Record<string, unknown>, value);
      } else if (Array.isArray(value)) {
        const existing = target[key];
        target[key] = Array.isArray(existing) ? [...(existing as unknown[]), ...value] : value;
      } else if (value === undefined) {
        delete target[key];
      } else {
        target[key] = value;
      }
    }
  }
  return target;
}

/** cdktf's `keysToSnakeCase`: keys in snake case, recursively, except inside `tags` and `environment`. */
function snakeKeys(value: unknown): Record<string, unknown> {
  if (TOKENIZATION.isResolvable(value)) return value as unknown as Record<string, unknown>;
  if (Array.isArray(value)) return value.map((e: unknown) => (typeof e === "object" ? snakeKeys(e) : e)) as unknown as Record<string, unknown>;
  const object = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (key === "tags" || key === "environment") {
      result[key] = object[key];
      continue;
    }
    let inner = object[key];
    if (typeof inner === "object") inner = snakeKeys(inner);
    if (Array.isArray(inner)) inner = inner.map((e: unknown) => (typeof e === "object" ? snakeKeys(e) : e));
    result[snakeCase(key)] = inner;
  }
  return result;
}

const SNAKE_CASE = new Map<string, string>();

/** cdktf's `snakeCase` of a key, remembered: the same few hundred names come back for every element. */
function snakeCase(key: string): string {
  let snake = SNAKE_CASE.get(key);
  if (snake === undefined) {
    snake = key === "" ? "" : key.replace(/^[^A-Za-z0-9]*|[^A-Za-z0-9]*$/g, "").replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => a + "_" + b.toLowerCase()).replace(/[^A-Za-z0-9]+|_+/g, "_").toLowerCase();
    SNAKE_CASE.set(key, snake);
  }
  return snake;
}
