// vega-interpreter imports three names from the vega-util package, which the vega bundle (loaded before
// it, as a classic script) already holds: the import map of the charts page points 'vega-util' here.
const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;
export { ascending, isString, DisallowedObjectProperties };
