// Package plot draws a planned rota as pictures a coordinator can read at a
// glance, with gonum.org/v1/plot: a map of one day's routes (NewRouteMap,
// RouteMap) and a Gantt chart of workers against time with visits, travel,
// waiting, shifts and break windows (NewGantt, Gantt). Each worker has the
// same colour in both.
//
// The New functions return a *plot.Plot of gonum.org/v1/plot that the
// caller may change (titles, fonts, extra plotters) before Write renders it
// as PNG (exactly Width x Height pixels) or SVG; RouteMap and Gantt do both
// in one call. Days lists the days worth drawing.
//
// Pictures show worker IDs, not names, unless Options.WorkerNames is set,
// and never show the people visited other than as points on the map.
// Nothing reads the clock: times come from the problem and the rota.
package plot
