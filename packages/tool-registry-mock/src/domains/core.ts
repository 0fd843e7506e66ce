import { calcTool } from '../tools/calc.js';
import { echoTool } from '../tools/echo.js';
import { timeNowTool } from '../tools/time-now.js';
import type { ToolDomain } from '../types.js';

/** The built-in domain: echo, calc and time_now. */
export const coreDomain: ToolDomain = {
  name: 'core',
  tools: [echoTool, calcTool, timeNowTool],
};
