import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CapabilityError } from './errors.ts';
import { chooseModel } from './models.ts';
import { apiBaseUrl, parseHttpSettings, serverRoot } from './settings.ts';

test('settings: defaults, comma-separated URLs, errors naming the field', () => {
  const s = parseHttpSettings({ baseUrls: 'http://a:8000/v1, http://b:8000' });
  assert.deepEqual(s.baseUrls, ['http://a:8000/v1', 'http://b:8000']);
  assert.equal(s.apiKey, 'EMPTY');
  assert.equal(s.topLogprobs, 20);
  assert.equal(s.supportsN, 'auto');
  assert.equal(s.logprobsMode, 'auto');
  assert.equal(s.model, undefined);
  assert.throws(() => parseHttpSettings({ baseUrls: [] }, 'cfg.json#backend'), /cfg\.json#backend: field 'baseUrls':/);
  assert.throws(() => parseHttpSettings({ baseUrls: 'ftp://x' }), /baseUrls/);
  assert.throws(() => parseHttpSettings({ baseUrls: 'http://a', maxInflight: 3 }), /maxInflight|Unrecognized/);
});

test('base URLs: /v1 added to bare hosts, server root beside it', () => {
  assert.equal(apiBaseUrl('http://h:8000'), 'http://h:8000/v1');
  assert.equal(apiBaseUrl('http://h:8000/'), 'http://h:8000/v1');
  assert.equal(apiBaseUrl('http://h:11434/v1/'), 'http://h:11434/v1');
  assert.equal(apiBaseUrl('http://h/proxy/v1'), 'http://h/proxy/v1');
  assert.equal(serverRoot('http://h:8000/v1'), 'http://h:8000');
});

test('chooseModel: configured, discovered, ambiguous, missing', () => {
  const one = { url: 'http://a/v1', models: [{ id: 'llava', owned_by: 'vllm' }] };
  assert.equal(chooseModel(undefined, [one]).model, 'llava');
  assert.equal(chooseModel(undefined, [one]).engines.get('http://a/v1'), 'vllm');
  assert.equal(chooseModel('llava', [one, { url: 'http://b/v1', models: null }]).model, 'llava');
  const two = { url: 'http://c/v1', models: [{ id: 'llava' }, { id: 'qwen-vl' }] };
  assert.throws(() => chooseModel(undefined, [two]), (e: unknown) =>
    e instanceof CapabilityError && e.capability === 'model' && /llava, qwen-vl/.test(e.message));
  assert.throws(() => chooseModel('idefics', [one]), (e: unknown) =>
    e instanceof CapabilityError && /'idefics' is not served here; served: llava/.test(e.message) && /load_lora_adapter/.test(e.fix));
  assert.throws(() => chooseModel(undefined, [{ url: 'http://a/v1', models: null }]), (e: unknown) =>
    e instanceof CapabilityError && e.capability === 'models-route' && /set `model`/.test(e.fix));
  assert.throws(() => chooseModel(undefined, [one, { url: 'http://d/v1', models: [{ id: 'other' }] }]), /same model/);
  // A base with its LoRA adapters loaded (vLLM names the base as each adapter's parent) serves the base by default.
  const adapters = { url: 'http://e/v1', models: [{ id: 'llava' }, { id: 'rlaifv-round-1', parent: 'llava' }, { id: 'rlaifv-round-2', parent: 'llava' }] };
  assert.equal(chooseModel(undefined, [adapters]).model, 'llava');
  assert.throws(() => chooseModel(undefined, [{ ...adapters, models: [...adapters.models, { id: 'qwen' }] }]), /several models/);
});
