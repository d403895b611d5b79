// Validates rendered Kubernetes manifests against the API's schemas, offline (kubernetes-models: the OpenAPI schemas
// of the Kubernetes API compiled to validators). Usage:
//   kubectl kustomize deploy/k8s/overlays/hospital-1 | node deploy/k8s/validate/validate.mjs [name]
//   node deploy/k8s/validate/validate.mjs FILE...
// Prints one line per problem ("<source> <Kind>/<name>: <path> <message>") and exits 1 if there is any; a kind this
// script has no model for is a problem too, never a silent pass. On success: "<source>: N documents valid".
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return undefined;
  }
  // "v1" is the core group; "apps/v1" is group apps, version v1.
  const module = `kubernetes-models/${apiVersion}`;
  try {
    const exports = await import(module);
    return exports[kind];
  } catch {
    return undefined;
  }
}

async function validateText(text, source) {
  const problems = [];
  let count = 0;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        problems.push(`${source}: YAML: ${e.message.split("\n")[0]}`);
      }
      continue;
    }
    const object = doc.toJS();
    if (object === null || object === undefined) {
      continue;
    }
    count++;
    const name = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
    const Model = await modelFor(object.apiVersion, object.kind);
    if (typeof Model !== "function") {
      problems.push(`${source} ${name}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
      continue;
    }
    if (object.kind === "Secret" && object.data && typeof object.data === "object") {
      // kustomize wraps long base64 values over several lines; the API server's decoder skips line breaks, the
      // schema's "byte" format does not. Check the value as the server reads it.
      for (const [key, value] of Object.entries(object.data)) {
        if (typeof value === "string") {
          object.data[key] = value.replace(/[\r\n]/g, "");
        }
      }
    }
    try {
      new Model(object).validate();
    } catch (e) {
      const errors = Array.isArray(e.errors) && e.errors.length > 0 ? e.errors : [{ instancePath: "", message: e.message }];
      for (const error of errors) {
        const detail = error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : "";
        problems.push(`${source} ${name}: ${error.instancePath || "/"} ${error.message ?? error.keyword}${detail}`);
      }
    }
  }
  if (count === 0) {
    problems.push(`${source}: no documents`);
  }
  return { problems, count };
}

const files = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const inputs = files.length > 0
  ? files.map((f) => ({ text: readFileSync(f, "utf8"), source: f }))
  : [{ text: readFileSync(0, "utf8"), source: process.env.VALIDATE_SOURCE ?? "stdin" }];

let failed = false;
for (const { text, source } of inputs) {
  const { problems, count } = await validateText(text, source);
  for (const p of problems) {
    console.log(p);
  }
  if (problems.length > 0) {
    failed = true;
  } else {
    console.log(`${source}: ${count} documents valid`);
  }
}
process.exit(failed ? 1 : 0);
