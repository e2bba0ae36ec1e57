package extbuild

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"golang.org/x/image/draw"
)

// scaledIcons draws the toolbar and store icons from the site's 512 px icon
// (package site draws it), so there is one drawing of the icon. Catmull-Rom
// keeps the bars crisp down to 16 px.
func scaledIcons(icon512 []byte) (map[int][]byte, error) {
	src, err := png.Decode(bytes.NewReader(icon512))
	if err != nil {
		return nil, fmt.Errorf("extbuild: the site's icon-512.png: %w", err)
	}
	out := map[int][]byte{}
	for _, s := range iconSizes {
		dst := image.NewNRGBA(image.Rect(0, 0, s, s))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		var b bytes.Buffer
		if err := png.Encode(&b, dst); err != nil {
			return nil, err
		}
		out[s] = b.Bytes()
	}
	return out, nil
}
