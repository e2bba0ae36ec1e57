package site

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
)

// The icon: log lines of different lengths, the first one a passed-job green,
// on the app's blue; drawn here so the site needs no binary in the repository
// and no remote icon (go-app's default). web/icon.svg is the same drawing.
var (
	iconBlue  = color.NRGBA{0x1f, 0x69, 0xc2, 0xff}
	iconWhite = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	iconGreen = color.NRGBA{0x6f, 0xdc, 0x8c, 0xff}
)

// iconLines are the bars in units of 1/16 of the icon: x0, x1, y.
var iconLines = [][3]int{{4, 12, 4}, {4, 10, 7}, {4, 13, 10}, {4, 8, 13}}

// drawIcon draws a size×size icon. maskable leaves the corners filled and
// keeps the drawing inside the central 80% safe zone Android masks to.
func drawIcon(size int, maskable bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	r := float64(size) * 0.18 // corner radius
	if maskable {
		r = 0
	}
	for y := range size {
		for x := range size {
			if inRounded(float64(x)+.5, float64(y)+.5, float64(size), r) {
				img.SetNRGBA(x, y, iconBlue)
			}
		}
	}
	scale, off := float64(size)/16, 0.0
	if maskable { // shrink into the safe zone
		scale, off = float64(size)*0.7/16, float64(size)*0.15
	}
	for i, l := range iconLines {
		c := iconWhite
		if i == 0 {
			c = iconGreen
		}
		x0, x1 := off+float64(l[0])*scale, off+float64(l[1])*scale
		y0 := off + (float64(l[2])-0.6)*scale
		y1 := y0 + 1.2*scale
		for y := int(y0); y < int(y1); y++ {
			for x := int(x0); x < int(x1); x++ {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	return img
}

func inRounded(x, y, size, r float64) bool {
	cx := min(max(x, r), size-r)
	cy := min(max(y, r), size-r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

// writeIcons writes the PNG icons the manifest and pages name.
func writeIcons(dir string) error {
	icons := []struct {
		name     string
		size     int
		maskable bool
	}{
		{"icon-192.png", 192, false},
		{"icon-512.png", 512, false},
		{"icon-maskable-192.png", 192, true},
		{"icon-maskable-512.png", 512, true},
	}
	for _, ic := range icons {
		var b bytes.Buffer
		if err := png.Encode(&b, drawIcon(ic.size, ic.maskable)); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, ic.name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
