//go:build !js

package oauth

import "github.com/jobscope/jobscope/internal/gitlab"

func defaultTransport() gitlab.Transport { return gitlab.HTTPTransport{} }
