package logview

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

// noteReplaced is said when a log no longer begins as the one shown: the
// job was retried or erased, or GitLab sent another log.
const noteReplaced = "The log changed from its start since the last update (the job was retried or erased?): it is shown anew."

// chunkBytes is how much of a big log is parsed per UI turn, so the first
// lines show while the rest parses (the probe: the store build dominates
// first paint).
const chunkBytes = 4 << 20

// firstChunkBytes is the first chunk: small, so the first screen of lines
// shows before the rest of a big log is parsed.
const firstChunkBytes = 256 << 10

// ingest feeds data to the store: whole (Update: only the new tail is
// parsed) when it is small or the store already holds a prefix, else in
// chunks, one per UI turn, redrawing after each (firstStep). done runs on the UI
// goroutine when all of data is in. A newer ingest (a longer data of the
// same log, as a download streams in) ends an older one's chunks: its
// done never runs, and the newer one parses on from what the store holds.
func (v *viewer) ingest(ctx ui.Context, data []byte, finished bool, done func(ctx ui.Context)) {
	s := v.store
	v.ingesting++
	gen := v.ingesting
	had := s.Bytes() > 0
	size := firstStep(had, len(data), v.atEnd)
	if size == len(data) {
		if restarted := s.Update(data); restarted && had {
			v.note = noteReplaced
		}
		if finished {
			s.Finish()
		}
		v.changed(ctx)
		done(ctx)
		return
	}
	off := 0
	var step func(ctx ui.Context)
	step = func(ctx ui.Context) {
		if v.ingesting != gen {
			return
		}
		end := min(off+size, len(data))
		size = chunkBytes
		s.Append(data[off:end])
		off = end
		if off == len(data) && finished {
			s.Finish()
		}
		v.changed(ctx)
		if off < len(data) {
			// A task of the browser's, not Dispatch: the wasm returns to the
			// event loop, which paints the rows (nexttask_js.go).
			nextTask(ctx, step)
			return
		}
		done(ctx)
	}
	step(ctx)
}

// firstStep is how much of data the first UI turn parses. All of it when
// the store had a prefix already
// (only the new tail is parsed), when it is small, or when the view opens
// at the end (a failed job: its first screen is the last lines) and it is
// one chunk. Else firstChunkBytes, so the first screen paints before the
// rest parses: a download's first chunk can be megabytes, and parsing it
// whole came before its first lines.
func firstStep(had bool, size int, atEnd bool) int {
	if had || size <= firstChunkBytes || atEnd && size <= chunkBytes {
		return size
	}
	return firstChunkBytes
}
