package account

import (
	"errors"
	"syscall/js"
)

// BrowserKV returns the browser's localStorage as a KV, or a MemoryKV when
// localStorage is unavailable (storage disabled, sandboxed frame).
func BrowserKV() KV {
	ls, err := localStorage()
	if err != nil {
		return &MemoryKV{}
	}
	return ls
}

type jsLocalStorage struct{ v js.Value }

func localStorage() (kv KV, err error) {
	// Reading window.localStorage throws when storage is blocked.
	defer func() {
		if r := recover(); r != nil {
			kv, err = nil, errors.New("localStorage is not available")
		}
	}()
	v := js.Global().Get("localStorage")
	if !v.Truthy() {
		return nil, errors.New("localStorage is not available")
	}
	return jsLocalStorage{v}, nil
}

func (s jsLocalStorage) Get(key string) (string, bool) {
	v := s.v.Call("getItem", key)
	if v.IsNull() || v.IsUndefined() {
		return "", false
	}
	return v.String(), true
}

func (s jsLocalStorage) Set(key, value string) (err error) {
	defer func() { // quota exceeded throws
		if r := recover(); r != nil {
			err = errors.New("the browser refused to store the settings (storage full or disabled)")
		}
	}()
	s.v.Call("setItem", key, value)
	return nil
}

// BrowserSessionKV returns the tab's sessionStorage as a KV (gone when the
// tab closes), or a MemoryKV when it is unavailable.
func BrowserSessionKV() KV {
	if ss := js.Global().Get("sessionStorage"); ss.Truthy() {
		return jsLocalStorage{ss}
	}
	return &MemoryKV{}
}
