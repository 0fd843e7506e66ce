// An example tool domain: unit conversion for length, mass and temperature, with no network.
// Enable it next to the built-in tools:
//
//   arp-tool-registry --domains core,./examples/unit-conversion-domain.js
//
// A domain module's default export (or its export named `domain`) is `{ name, tools }`; each tool
// is a ToolDefinition plus a handler that receives arguments already validated against its
// input_schema.
import { ToolExecutionError } from '@arp-ts/tool-registry-mock';

/** Units per quantity, as [factor to the base unit] (temperature is handled apart). */
const LINEAR_UNITS = {
  length: { m: 1, km: 1000, cm: 0.01, mm: 0.001, mi: 1609.344, yd: 0.9144, ft: 0.3048, in: 0.0254 },
  mass: { kg: 1, g: 0.001, mg: 1e-6, t: 1000, lb: 0.45359237, oz: 0.028349523125 },
};
const TEMPERATURE_UNITS = ['C', 'F', 'K'];

const ALL_UNITS = [
  ...Object.keys(LINEAR_UNITS.length),
  ...Object.keys(LINEAR_UNITS.mass),
  ...TEMPERATURE_UNITS,
];

function quantityOf(unit) {
  if (TEMPERATURE_UNITS.includes(unit)) return 'temperature';
  return Object.keys(LINEAR_UNITS).find((q) => Object.hasOwn(LINEAR_UNITS[q], unit));
}

function toKelvin(value, unit) {
  if (unit === 'C') return value + 273.15;
  if (unit === 'F') return ((value - 32) * 5) / 9 + 273.15;
  return value;
}

function fromKelvin(kelvin, unit) {
  if (unit === 'C') return kelvin - 273.15;
  if (unit === 'F') return ((kelvin - 273.15) * 9) / 5 + 32;
  return kelvin;
}

// Rounds away binary noise such as 0.30000000000000004 without hiding real precision.
function tidy(value) {
  return Number.parseFloat(value.toPrecision(12));
}

function convert({ value, from, to }) {
  const fromQuantity = quantityOf(from);
  const toQuantity = quantityOf(to);
  if (fromQuantity !== toQuantity) {
    // An expected failure: the caller (often a model) gets this message and can correct itself.
    throw new ToolExecutionError(
      `Cannot convert ${fromQuantity} (${from}) to ${toQuantity} (${to}).`,
      { details: { from_quantity: fromQuantity, to_quantity: toQuantity } },
    );
  }
  if (fromQuantity === 'temperature') {
    const kelvin = toKelvin(value, from);
    if (kelvin < 0) throw new ToolExecutionError(`${value} ${from} is below absolute zero.`);
    return { value, from, to, result: tidy(fromKelvin(kelvin, to)) };
  }
  const units = LINEAR_UNITS[fromQuantity];
  return { value, from, to, result: tidy((value * units[from]) / units[to]) };
}

/** @type {import('@arp-ts/tool-registry-mock').ToolDomain} */
const unitsDomain = {
  name: 'units',
  tools: [
    {
      definition: {
        tool_id: 'tool_convert_units',
        name: 'convert_units',
        description:
          'Converts a quantity between units of the same kind: length (m, km, cm, mm, mi, yd, ft, ' +
          'in), mass (kg, g, mg, t, lb, oz) or temperature (C, F, K). Use it whenever a question ' +
          'involves changing units.',
        // Strict and compatible with OpenAI structured outputs: every property required,
        // additionalProperties false.
        input_schema: {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'from', 'to'],
          properties: {
            value: { type: 'number', description: 'The amount to convert.' },
            from: { type: 'string', enum: ALL_UNITS, description: 'The unit of `value`.' },
            to: { type: 'string', enum: ALL_UNITS, description: 'The unit wanted.' },
          },
        },
        output_schema: {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'from', 'to', 'result'],
          properties: {
            value: { type: 'number' },
            from: { type: 'string' },
            to: { type: 'string' },
            result: { type: 'number', description: 'The amount expressed in `to`.' },
          },
        },
        source: 'registry_local',
      },
      handler: (args) => convert(args),
      timeoutMs: 1_000,
    },
  ],
};

export default unitsDomain;
