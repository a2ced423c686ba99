package report

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// BarGroup is one panel of a chart: a bar per series in each category,
// with a whisker from the min to the max of the runs.
type BarGroup struct {
	Title      string
	YLabel     string
	Categories []string
	Series     []Series
	// Scale divides every value (1e6 to show events/s in millions, …);
	// 0 means 1.
	Scale float64
	// Log draws points on a logarithmic axis instead of bars, for values
	// that span orders of magnitude (latencies of very different servers).
	Log bool
}

// Series is one target's values in a BarGroup, one per category; a Stat
// with N == 0 is a missing value.
type Series struct {
	Name   string
	Values []Stat
}

// palette is colour-blind safe (Okabe–Ito).
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255},
	color.RGBA{230, 159, 0, 255},
	color.RGBA{0, 158, 115, 255},
	color.RGBA{204, 121, 167, 255},
	color.RGBA{86, 180, 233, 255},
	color.RGBA{213, 94, 0, 255},
}

// WriteChart draws the groups side by side under caption into path; the
// format follows the extension (.svg or .png).
func WriteChart(path, caption string, groups []BarGroup) error {
	if len(groups) == 0 {
		return fmt.Errorf("report: chart: nothing to draw")
	}
	plots := make([]*plot.Plot, len(groups))
	for i, g := range groups {
		p, err := barPlot(g)
		if err != nil {
			return err
		}
		plots[i] = p
	}
	width := vg.Length(len(groups)) * 4.2 * vg.Inch
	height := 4.2 * vg.Inch
	var (
		canvas vg.CanvasWriterTo
		dc     draw.Canvas
	)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		c := vgsvg.New(width, height)
		canvas, dc = c, draw.New(c)
	case ".png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))
		canvas, dc = vgimg.PngCanvas{Canvas: c}, draw.New(c)
	default:
		return fmt.Errorf("report: chart %s: want a .svg or .png file", path)
	}
	// White background, then the caption, then the panels under it.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	captionHeight := vg.Length(0)
	if caption != "" {
		sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, Handler: plot.DefaultTextHandler,
			XAlign: draw.XCenter, YAlign: draw.YTop}
		sty.Font.Size = vg.Points(10)
		captionHeight = sty.Height(caption) + vg.Points(8)
		dc.FillText(sty, vg.Point{X: width / 2, Y: height - vg.Points(4)}, caption)
	}
	body := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: dc.Rectangle.Min, Max: vg.Point{X: dc.Rectangle.Max.X, Y: dc.Rectangle.Max.Y - captionHeight}}}
	tiles := draw.Tiles{Rows: 1, Cols: len(groups), PadX: vg.Points(18), PadTop: vg.Points(4),
		PadBottom: vg.Points(4), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	cells := plot.Align([][]*plot.Plot{plots}, tiles, body)
	for i, p := range plots {
		p.Draw(cells[0][i])
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("report: chart: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: chart: %w", err)
	}
	if _, err := canvas.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("report: chart %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report: chart %s: %w", path, err)
	}
	return nil
}

func barPlot(g BarGroup) (*plot.Plot, error) {
	if g.Log {
		return logPlot(g)
	}
	scale := g.Scale
	if scale == 0 {
		scale = 1
	}
	p := plot.New()
	p.Title.Text = g.Title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = g.YLabel
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())

	n := len(g.Series)
	barWidth := vg.Points(min(24, 150/float64(max(1, n*len(g.Categories)))*1.6))
	for i, s := range g.Series {
		vals := make(plotter.Values, len(g.Categories))
		var errs []whisker
		for j := range g.Categories {
			if j < len(s.Values) && s.Values[j].N > 0 {
				st := s.Values[j]
				vals[j] = st.Median / scale
				if st.Max > st.Min {
					errs = append(errs, whisker{x: float64(j), lo: st.Min / scale, hi: st.Max / scale})
				}
			}
		}
		bars, err := plotter.NewBarChart(vals, barWidth)
		if err != nil {
			return nil, fmt.Errorf("report: chart %q: %w", g.Title, err)
		}
		bars.Color = palette[i%len(palette)]
		bars.LineStyle.Width = 0
		bars.Offset = vg.Length(float64(i)-float64(n-1)/2) * barWidth
		p.Add(bars)
		p.Legend.Add(s.Name, bars)
		if len(errs) > 0 {
			eb := &errorBars{pts: errs, offset: bars.Offset}
			p.Add(eb)
			if y := eb.maxY(); y > p.Y.Max {
				p.Y.Max = y
			}
		}
	}
	// Room above the tallest bar for the legend.
	p.Y.Max *= 1.25
	p.NominalX(g.Categories...)
	return p, nil
}

// logPlot draws g as points with min–max whiskers on a log axis.
func logPlot(g BarGroup) (*plot.Plot, error) {
	scale := g.Scale
	if scale == 0 {
		scale = 1
	}
	p := plot.New()
	p.Title.Text = g.Title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = g.YLabel
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), 0.0
	n := len(g.Series)
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}}
	for i, s := range g.Series {
		var pts plotter.XYs
		var errs []whisker
		for j := range g.Categories {
			if j >= len(s.Values) || s.Values[j].N == 0 || s.Values[j].Min <= 0 {
				continue
			}
			st := s.Values[j]
			x := float64(j) + (float64(i)-float64(n-1)/2)*0.18
			pts = append(pts, plotter.XY{X: x, Y: st.Median / scale})
			errs = append(errs, whisker{x: x, lo: st.Min / scale, hi: st.Max / scale})
			lo, hi = math.Min(lo, st.Min/scale), math.Max(hi, st.Max/scale)
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("report: chart %q: %w", g.Title, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: palette[i%len(palette)], Radius: vg.Points(4), Shape: shapes[i%len(shapes)]}
		p.Add(&errorBars{pts: errs}, sc)
		p.Legend.Add(s.Name, sc)
	}
	if hi == 0 {
		return nil, fmt.Errorf("report: chart %q: no positive value for a log axis", g.Title)
	}
	// Whole decades around the values, with room at the top for the legend.
	p.Y.Min = math.Pow(10, math.Floor(math.Log10(lo)))
	p.Y.Max = math.Pow(10, math.Ceil(math.Log10(hi*3)))
	p.X.Min, p.X.Max = -0.5, float64(len(g.Categories))-0.5
	p.NominalX(g.Categories...)
	return p, nil
}

// whisker is the min–max range of one bar.
type whisker struct{ x, lo, hi float64 }

// errorBars draws min–max whiskers over bars shifted by offset (plotter's
// YErrorBars cannot be shifted like bars are).
type errorBars struct {
	pts    []whisker
	offset vg.Length
}

func (e *errorBars) maxY() float64 {
	m := 0.0
	for _, w := range e.pts {
		m = max(m, w.hi)
	}
	return m
}

// Plot implements plot.Plotter.
func (e *errorBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: color.Gray{Y: 40}, Width: vg.Points(1)}
	tick := vg.Points(3)
	for _, w := range e.pts {
		x := trX(w.x) + e.offset
		lo, hi := trY(w.lo), trY(w.hi)
		c.StrokeLine2(ls, x, lo, x, hi)
		c.StrokeLine2(ls, x-tick, lo, x+tick, lo)
		c.StrokeLine2(ls, x-tick, hi, x+tick, hi)
	}
}
