// Uses the registry in-process: no HTTP, the way the runtime's embedded mode does.
// Run it from this package after a build: node examples/quickstart.mjs
import { fileURLToPath } from 'node:url';
import { createToolRegistry, loadDomains } from '@arp-ts/tool-registry-mock';

const unitsDomain = fileURLToPath(new URL('./unit-conversion-domain.js', import.meta.url));
const registry = createToolRegistry({ domains: await loadDomains(['core', unitsDomain]) });

console.log('tools:', (await registry.listTools()).map((t) => t.name).join(', '));

const calc = await registry.invokeTool({
  invocation_id: 'inv_1',
  tool_name: 'calc',
  args: { expression: '(19*23)' },
});
console.log(`calc: ${calc.result.expression} = ${calc.result.value}`);

const km = await registry.invokeTool({
  invocation_id: 'inv_2',
  tool_id: 'tool_convert_units',
  args: { value: 5, from: 'km', to: 'm' },
});
console.log(`convert_units: 5 km = ${km.result.result} m`);

// A tool's failure is a result with ok: false, never a thrown error.
const bad = await registry.invokeTool({
  invocation_id: 'inv_3',
  tool_name: 'calc',
  args: { expression: '1/0' },
});
console.log(`calc failed: ${bad.error.code}: ${bad.error.message}`);
