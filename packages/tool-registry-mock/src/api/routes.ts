// The Tool Registry API's routes, matched without a framework so that the express app and the
// msw handlers route identically.

export type ApiRoute =
  | { name: 'health' }
  | { name: 'version' }
  | { name: 'list_tools' }
  | { name: 'get_tool'; toolId: string }
  | { name: 'invoke_tool' }
  | { name: 'invoke_tool_by_path'; toolId: string };

export interface RouteMatch {
  route: ApiRoute;
  /** Methods the path serves; any other method is 405. */
  methods: readonly string[];
}

const GET = Object.freeze(['GET', 'HEAD']);
const POST = Object.freeze(['POST']);
const INVOKE_SUFFIX = ':invoke';
const TOOLS_PREFIX = '/v1/tools/';

const FIXED: ReadonlyMap<string, RouteMatch> = new Map<string, RouteMatch>([
  ['/v1/health', { route: { name: 'health' }, methods: GET }],
  ['/v1/version', { route: { name: 'version' }, methods: GET }],
  ['/v1/tools', { route: { name: 'list_tools' }, methods: GET }],
  ['/v1/tool-invocations', { route: { name: 'invoke_tool' }, methods: POST }],
]);

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Matches a request path (still percent-encoded, no query); undefined when no route has it. */
export function matchRoute(path: string): RouteMatch | undefined {
  const fixed = FIXED.get(path);
  if (fixed) return fixed;
  if (!path.startsWith(TOOLS_PREFIX)) return undefined;
  const segment = path.slice(TOOLS_PREFIX.length);
  if (segment === '' || segment.includes('/')) return undefined;
  if (segment.endsWith(INVOKE_SUFFIX)) {
    const toolId = decodeSegment(segment.slice(0, -INVOKE_SUFFIX.length));
    if (!toolId) return undefined;
    return { route: { name: 'invoke_tool_by_path', toolId }, methods: POST };
  }
  const toolId = decodeSegment(segment);
  if (!toolId) return undefined;
  return { route: { name: 'get_tool', toolId }, methods: GET };
}
