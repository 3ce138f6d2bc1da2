package plot_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"

	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule/plot"
	"github.com/carecoord/care/schedule/synth"
)

// Plan the sample agency's week, then draw the first day's routes and its
// Gantt chart. A program would write to files instead of buffers.
func Example() {
	p, err := synth.Sample()
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: 1, MaxIterations: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	days, err := plot.Days(p, res.Rota, plot.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(days), "days, first", days[0].Format("Mon 2 Jan 2006"))

	var routes, gantt bytes.Buffer
	if err := plot.RouteMap(&routes, p, res.Rota, days[0], plot.Options{Width: 800, Height: 600}); err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(&routes)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("routes.png", img.Bounds().Dx(), "x", img.Bounds().Dy())
	if err := plot.Gantt(&gantt, p, res.Rota, days[0], plot.Options{Format: plot.SVG}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("gantt.svg", bytes.HasPrefix(bytes.TrimSpace(gantt.Bytes()), []byte("<?xml")))
	// Output:
	// 7 days, first Mon 23 Mar 2026
	// routes.png 800 x 600
	// gantt.svg true
}
