package loggen

import (
	"strconv"
	"strings"
)

// Runner text colours and the Tee prefixes of gitlab-runner's build logger
// (common/buildlogger/internal/tee.go): Println writes "\e[0K" + text,
// Infoln bold green, Warningln yellow, Errorln bold red, each closed by
// "\e[0;m" before the LF.
const (
	ansiClear     = "\x1b[0K"
	ansiReset     = "\x1b[0;m"
	ansiBoldGreen = "\x1b[32;1m"
	ansiBoldCyan  = "\x1b[36;1m"
	ansiBoldRed   = "\x1b[31;1m"
	ansiYellow    = "\x1b[0;33m"
)

// job holds the facts chosen once per log: runner, project, image, commit.
type job struct {
	runnerVersion string
	runnerHost    string
	runnerToken   string
	systemID      string
	projectID     string
	group         string
	project       string
	image         string
	imageDigest   string
	imageID       string
	commit        string
	ref           string
	jobID         string
	module        string // Go module path of the project
}

func newJob(r *rng) job {
	j := job{
		runnerVersion: "17." + strconv.Itoa(r.between(0, 11)) + "." + strconv.Itoa(r.between(0, 3)) + " (" + r.hex(8) + ")",
		runnerToken:   "t3_" + r.alnum(6),
		systemID:      "s_" + r.hex(12),
		projectID:     strconv.Itoa(r.between(1000, 59999999)),
		group:         pick(r, groups),
		project:       pick(r, projects),
		image:         pick(r, images),
		imageDigest:   r.hex(64),
		imageID:       r.hex(64),
		commit:        r.hex(8),
		ref:           pick(r, refs),
		jobID:         strconv.Itoa(r.between(100000000, 9999999999)),
	}
	j.runnerHost = pick(r, runnerHosts) + "-" + strconv.Itoa(r.between(1, 9))
	j.module = "gitlab.com/" + j.group + "/" + j.project
	return j
}

// println writes the runner's Println line: "\e[0K" text "\e[0;m".
func (g *generator) println(text string) {
	g.rec(runnerOut)
	g.buf = append(g.buf, ansiClear...)
	g.buf = append(g.buf, text...)
	g.buf = append(g.buf, ansiReset...)
	g.end()
}

// info writes a bold green line on the script stream, as the runner's helper
// does for git and artifact messages.
func (g *generator) info(text string) {
	g.rec(scriptOut)
	g.buf = append(g.buf, ansiBoldGreen...)
	g.buf = append(g.buf, text...)
	g.buf = append(g.buf, ansiReset...)
	g.end()
}

// marker writes a runner section marker as its own write ending in CR
// (gitlab-runner helpers/build_section.go); the erase "\e[0K" that follows
// it comes with the next write. Timestamped, that is one record and the
// next one continues it with '+', as in runner 18.7 traces.
func (g *generator) marker(kind, name string) {
	g.rec(runnerOut)
	g.buf = append(g.buf, "section_"...)
	g.buf = append(g.buf, kind...)
	g.buf = append(g.buf, ':')
	g.buf = strconv.AppendInt(g.buf, g.unix(), 10)
	g.buf = append(g.buf, ':')
	g.buf = append(g.buf, name...)
	g.buf = append(g.buf, '\r')
	g.endCR()
}

// runnerSection ends section prev (if any) and opens next with its bold
// cyan header line (joblog.md §4).
func (g *generator) runnerSection(prev, next, header string) {
	if prev != "" {
		g.marker("end", prev)
		g.rec(runnerOut)
		g.buf = append(g.buf, ansiClear...)
	} else {
		g.rec(runnerOut)
	}
	g.buf = append(g.buf, "section_start:"...)
	g.buf = strconv.AppendInt(g.buf, g.unix(), 10)
	g.buf = append(g.buf, ':')
	g.buf = append(g.buf, next...)
	g.buf = append(g.buf, '\r')
	g.endCR()
	g.rec(runnerOut)
	g.buf = append(g.buf, ansiClear+ansiClear+ansiBoldCyan...)
	g.buf = append(g.buf, header...)
	g.buf = append(g.buf, ansiReset+ansiReset...)
	g.end()
}

func (g *generator) preamble() {
	j := &g.job
	g.println("Running with gitlab-runner " + j.runnerVersion)
	g.println("  on " + j.runnerHost + " " + j.runnerToken + ", system ID: " + j.systemID)
	if g.opts.Timestamps {
		g.println("  feature flags: FF_TIMESTAMPS:true")
	}
	g.runnerSection("", "prepare_executor", `Preparing the "docker" executor`)
	g.println("Using Docker executor with image " + j.image + " ...")
	g.println("Using effective pull policy of [always] for container " + j.image)
	g.println("Pulling docker image " + j.image + " ...")
	g.sleep(2e9, 20e9)
	g.println(g.usingImage())
	g.runnerSection("prepare_executor", "prepare_script", "Preparing environment")
	g.sleep(1e9, 4e9)
	g.line(scriptOut, "Running on runner-"+strings.ToLower(j.runnerToken[3:])+"-project-"+j.projectID+"-concurrent-0 via "+j.runnerHost+"...")
	g.runnerSection("prepare_script", "get_sources", "Getting source from Git repository")
	g.info("Fetching changes with git depth set to 20...")
	g.line(scriptOut, "Initialized empty Git repository in /builds/"+j.group+"/"+j.project+"/.git/")
	g.info("Created fresh repository.")
	g.sleep(3e5, 2e6)
	g.info("Checking out " + j.commit + " as detached HEAD (ref is " + j.ref + ")...")
	g.line(scriptOut, "")
	g.info("Skipping Git submodules setup")
	g.runnerSection("get_sources", "step_script", `Executing "step_script" stage of the job script`)
	g.println(g.usingImage())
}

func (g *generator) usingImage() string {
	j := &g.job
	name, _, _ := strings.Cut(j.image, ":")
	return "Using docker image sha256:" + j.imageID + " for " + j.image + " with digest " + name + "@sha256:" + j.imageDigest + " ..."
}

// closing writes what follows the script body: the failure (if any), the
// end of every open user section, after_script, artifacts upload, cleanup,
// and the job's result. Its size is bounded by closingBytes/closingLines.
func (g *generator) closing() {
	j := &g.job
	if g.opts.Failed {
		test := "Test" + pick(&g.r, testVerbs) + pick(&g.r, testNouns)
		g.line(scriptOut, "--- FAIL: "+test+" (0.04s)")
		g.line(scriptOut, "    "+strings.ToLower(pick(&g.r, testNouns))+"_test.go:88: got 3 lines, want 4")
		g.line(scriptOut, "FAIL")
		g.line(scriptOut, "FAIL\t"+j.module+"/internal/"+pick(&g.r, pkgNames)+"\t0.512s")
		g.line(scriptOut, "FAIL")
		g.line(scriptErr, "make: *** [Makefile:42: test] Error 1")
	}
	for i := len(g.stack) - 1; i >= 0; i-- {
		g.userSectionEnd(g.stack[i])
	}
	g.stack = g.stack[:0:0]
	g.runnerSection("step_script", "after_script", "Running after_script")
	g.info("Running after script...")
	g.info(`$ echo "Cleaning up test databases"`)
	g.line(scriptOut, "Cleaning up test databases")
	upload, header := "upload_artifacts_on_success", "Uploading artifacts for successful job"
	if g.opts.Failed {
		upload, header = "upload_artifacts_on_failure", "Uploading artifacts for failed job"
	}
	g.runnerSection("after_script", upload, header)
	g.info("Uploading artifacts...")
	g.line(scriptOut, "coverage.out: found 1 matching artifact files and directories"+ansiReset+" ")
	g.line(scriptErr, ansiYellow+"WARNING: junit.xml: no matching files. Ensure that the artifact path is relative to the working directory (/builds/"+j.group+"/"+j.project+")"+ansiReset+" ")
	g.sleep(2e5, 2e6)
	g.line(scriptErr, `Uploading artifacts as "archive" to coordinator... 201 Created`+ansiReset+"  id="+j.jobID+" responseStatus=201 Created token="+j.runnerToken[3:])
	g.runnerSection(upload, "cleanup_file_variables", "Cleaning up project directory and file based variables")
	g.sleep(1e5, 1e6)
	g.marker("end", "cleanup_file_variables")
	g.rec(runnerOut)
	g.buf = append(g.buf, ansiClear...)
	if g.opts.Failed {
		g.buf = append(g.buf, ansiBoldRed+"ERROR: Job failed: exit code 1"+ansiReset...)
	} else {
		g.buf = append(g.buf, ansiBoldGreen+"Job succeeded"+ansiReset...)
	}
	g.end()
}
