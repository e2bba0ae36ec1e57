package logview

import (
	"time"

	"github.com/jobscope/jobscope/internal/joblog"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// tailFirst is how much of a failed job's end is asked for first, where
// GitLab serves byte ranges: about GitLab's own page's 500 KB, so the
// failure shows as fast as GitLab would show it.
const tailFirst = 512 << 10

// swapIn replaces the end of a log shown first with the whole log. The
// whole is parsed into a store of its own, a chunk per UI turn, while the
// end stays on screen; then it takes the end's place, keeping the line the
// user looks at: the top line's byte offset in the end, moved by where the
// end starts in the whole (tailStart). A user at the end stays at the end.
func (v *viewer) swapIn(ctx ui.Context, full []byte, tailStart int64, finished bool, done func(ui.Context)) {
	next := &joblog.Store{}
	v.ingesting++
	gen := v.ingesting
	off := 0
	var step func(ui.Context)
	step = func(ctx ui.Context) {
		if v.ingesting != gen {
			return
		}
		end := min(off+chunkBytes, len(full))
		next.Append(full[off:end])
		off = end
		if off < len(full) {
			ctx.After(time.Millisecond, step)
			return
		}
		if finished {
			next.Finish()
		}
		atEnd := v.port.atBottom()
		top, frac := int64(-1), v.port.topFrac()
		if v.store.Len() > 0 {
			top = v.store.Line(v.port.topLine()).Offset + tailStart
		}
		v.store, v.partial = next, false
		v.gen-- // another store: changed() starts the fold, sections and failures afresh
		if v.search != nil {
			v.setQuery(ctx, v.query, v.regex)
		}
		v.changed(ctx)
		if atEnd || top < 0 {
			v.port.scrollToEnd()
		} else {
			// The same line at the top, as far scrolled past as it was.
			l, _ := v.store.Resolve(joblog.Addr{Line: -1, Offset: top})
			v.expandTo(l)
			r, _ := v.fold.Row(l)
			v.port.redraw(true)
			v.port.scrollRowToTop(float64(r) + frac)
		}
		done(ctx)
	}
	step(ctx)
}
