#!/usr/bin/env node
// Parses every *.tf file of one directory with @cdktf/hcl2json (offline; no terraform binary, no provider download)
// and prints one JSON object: { "<file name>": <that file as hcl2json's JSON>, ... }, files in name order.
// Any unreadable or unparsable file ends the run with a non-zero exit code and the parser's message on stderr.
// Usage (from deploy-checks/, where node_modules is): node hcl2json.mjs ../terraform
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json');

async function main(args) {
  if (args.length !== 1) {
    throw new Error('usage: node hcl2json.mjs <directory with *.tf files>');
  }
  const dir = resolve(args[0]);
  if (!statSync(dir).isDirectory()) {
    throw new Error(`not a directory: ${dir}`);
  }
  const files = readdirSync(dir).filter((name) => name.endsWith('.tf')).sort();
  if (files.length === 0) {
    throw new Error(`no *.tf files in ${dir}`);
  }
  const result = {};
  for (const name of files) {
    const contents = readFileSync(join(dir, name), 'utf8');
    try {
      result[name] = await parse(name, contents);
    } catch (e) {
      throw new Error(`${name}: ${e && e.message ? e.message : e}`);
    }
  }
  return result;
}

main(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(JSON.stringify(result));
    process.stdout.write('\n');
  },
  (e) => {
    process.stderr.write(`hcl2json: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
  },
);
