// realtime: live cursors and edits for the `teamdocs` example, Go standard library only (Go 1.19+).
//
// A minimal RFC 6455 WebSocket server: the opening handshake (Sec-WebSocket-Accept), masked
// client frames, fragmented messages, ping/pong and the closing handshake. Every text or binary
// message a client sends is broadcast to all clients in the same room, the sender included.
//
//	GET /ws?room=<page-id>[&token=<token>]  WebSocket; room defaults to "lobby"
//	GET /healthz                            200 when Redis (SESSIONS_URL) answers PING, 503 otherwise
//
// When AUTH_URL is set, /ws needs a session token (from POST /auth/login), as ?token= or as an
// Authorization: Bearer header, checked with GET $AUTH_URL/auth/session. Rooms are in-process:
// with several replicas, relay messages through Redis pub/sub (SESSIONS_URL) instead.
//
// Env: PORT (default 9000), SESSIONS_URL, AUTH_URL.
package main

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	websocketGUID   = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	maxMessageBytes = 1 << 20
	sendQueue       = 64
	pingEvery       = 30 * time.Second
	writeTimeout    = 10 * time.Second

	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// ---- Rooms ----

type hub struct {
	mu    sync.Mutex
	rooms map[string]map[*client]bool
}

func newHub() *hub { return &hub{rooms: map[string]map[*client]bool{}} }

func (h *hub) join(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.rooms[c.room] == nil {
		h.rooms[c.room] = map[*client]bool{}
	}
	h.rooms[c.room][c] = true
}

func (h *hub) leave(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.rooms[c.room], c)
	if len(h.rooms[c.room]) == 0 {
		delete(h.rooms, c.room)
	}
}

func (h *hub) broadcast(room string, f frame) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.rooms[room] {
		c.enqueue(f)
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, clients := range h.rooms {
		for c := range clients {
			c.enqueue(closeFrame(1001, "server shutting down"))
		}
	}
}

// ---- Frames ----

type frame struct {
	opcode  byte
	payload []byte
}

func closeFrame(code uint16, reason string) frame {
	p := make([]byte, 2, 2+len(reason))
	binary.BigEndian.PutUint16(p, code)
	return frame{opClose, append(p, reason...)}
}

// readFrame reads one client frame: FIN bit, opcode and the unmasked payload.
func readFrame(r *bufio.Reader, limit int) (fin bool, opcode byte, payload []byte, err error) {
	var head [2]byte
	if _, err = io.ReadFull(r, head[:]); err != nil {
		return
	}
	fin, opcode = head[0]&0x80 != 0, head[0]&0x0F
	if head[0]&0x70 != 0 {
		return fin, opcode, nil, errors.New("reserved bits set")
	}
	if head[1]&0x80 == 0 {
		return fin, opcode, nil, errors.New("client frames must be masked")
	}
	length := uint64(head[1] & 0x7F)
	switch length {
	case 126:
		var ext [2]byte
		if _, err = io.ReadFull(r, ext[:]); err != nil {
			return
		}
		length = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err = io.ReadFull(r, ext[:]); err != nil {
			return
		}
		length = binary.BigEndian.Uint64(ext[:])
	}
	if opcode >= opClose && (length > 125 || !fin) {
		return fin, opcode, nil, errors.New("invalid control frame")
	}
	if length > uint64(limit) {
		return fin, opcode, nil, errTooBig
	}
	var mask [4]byte
	if _, err = io.ReadFull(r, mask[:]); err != nil {
		return
	}
	payload = make([]byte, length)
	if _, err = io.ReadFull(r, payload); err != nil {
		return
	}
	for i := range payload {
		payload[i] ^= mask[i%4]
	}
	return fin, opcode, payload, nil
}

var errTooBig = errors.New("message too big")

// writeFrame writes one unfragmented, unmasked server frame.
func writeFrame(w *bufio.Writer, f frame) error {
	header := []byte{0x80 | f.opcode, 0}
	n := len(f.payload)
	switch {
	case n <= 125:
		header[1] = byte(n)
	case n <= 0xFFFF:
		header[1] = 126
		header = append(header, byte(n>>8), byte(n))
	default:
		header[1] = 127
		var ext [8]byte
		binary.BigEndian.PutUint64(ext[:], uint64(n))
		header = append(header, ext[:]...)
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	if _, err := w.Write(f.payload); err != nil {
		return err
	}
	return w.Flush()
}

// ---- Connections ----

type client struct {
	conn      net.Conn
	room      string
	send      chan frame
	closeOnce sync.Once
	done      chan struct{}
}

// enqueue hands a frame to the writer; a client too slow to keep up is disconnected.
func (c *client) enqueue(f frame) {
	select {
	case <-c.done:
	case c.send <- f:
	default:
		c.shutdown()
	}
}

func (c *client) shutdown() {
	c.closeOnce.Do(func() {
		close(c.done)
		c.conn.Close()
	})
}

// writeLoop owns the write side: queued frames and a keepalive ping. It ends on a write error
// (dropping the connection) or after sending a close frame (the closing handshake then gives the
// peer two seconds to answer with its own close frame before the connection is dropped).
func (c *client) writeLoop(w *bufio.Writer, finished chan<- struct{}) {
	defer close(finished)
	ticker := time.NewTicker(pingEvery)
	defer ticker.Stop()
	for {
		var f frame
		select {
		case <-c.done:
			return
		case f = <-c.send:
		case <-ticker.C:
			f = frame{opPing, nil}
		}
		c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if err := writeFrame(w, f); err != nil {
			c.shutdown()
			return
		}
		if f.opcode == opClose {
			c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			return
		}
	}
}

// readLoop reassembles messages and answers control frames until the connection ends. It reports
// whether it queued a close frame, which the writer should get out before the connection drops.
func (c *client) readLoop(r *bufio.Reader, h *hub) (closing bool) {
	var message []byte
	var messageOp byte
	fail := func(code uint16, reason string) bool {
		c.enqueue(closeFrame(code, reason))
		return true
	}
	for {
		fin, opcode, payload, err := readFrame(r, maxMessageBytes-len(message))
		var netErr net.Error
		switch {
		case errors.Is(err, errTooBig):
			return fail(1009, "message too big")
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed), errors.As(err, &netErr):
			return false // the peer went away, or did not answer our close frame in time
		case err != nil:
			return fail(1002, err.Error())
		}
		switch opcode {
		case opPing:
			c.enqueue(frame{opPong, payload})
		case opPong:
		case opClose:
			code := uint16(1000)
			if len(payload) >= 2 {
				code = binary.BigEndian.Uint16(payload)
			}
			return fail(code, "")
		case opText, opBinary, opContinuation:
			if (opcode == opContinuation) != (message != nil) {
				return fail(1002, "unexpected continuation frame")
			}
			if opcode != opContinuation {
				messageOp, message = opcode, []byte{}
			}
			message = append(message, payload...)
			if fin {
				h.broadcast(c.room, frame{messageOp, message})
				message = nil
			}
		default:
			return fail(1002, "unknown opcode")
		}
	}
}

func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

func serveWebSocket(h *hub, authURL string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Sec-WebSocket-Key")
		if decoded, err := base64.StdEncoding.DecodeString(key); r.Method != http.MethodGet ||
			!headerHasToken(r.Header, "Connection", "upgrade") || !headerHasToken(r.Header, "Upgrade", "websocket") ||
			err != nil || len(decoded) != 16 {
			http.Error(w, "expected a WebSocket upgrade (RFC 6455)", http.StatusBadRequest)
			return
		}
		if r.Header.Get("Sec-WebSocket-Version") != "13" {
			w.Header().Set("Sec-WebSocket-Version", "13")
			http.Error(w, "unsupported WebSocket version", http.StatusUpgradeRequired)
			return
		}
		if authURL != "" {
			if status := checkSession(r, authURL); status != http.StatusOK {
				http.Error(w, http.StatusText(status), status)
				return
			}
		}
		room := r.URL.Query().Get("room")
		if room == "" {
			room = "lobby"
		}
		hijacker, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, "connection cannot be upgraded", http.StatusInternalServerError)
			return
		}
		conn, rw, err := hijacker.Hijack()
		if err != nil {
			return
		}
		conn.SetDeadline(time.Time{}) // the server's timeouts were for the HTTP request
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
			"Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n")
		if err := rw.Flush(); err != nil {
			conn.Close()
			return
		}
		c := &client{conn: conn, room: room, send: make(chan frame, sendQueue), done: make(chan struct{})}
		h.join(c)
		finished := make(chan struct{})
		go c.writeLoop(rw.Writer, finished)
		closing := c.readLoop(rw.Reader, h)
		h.leave(c)
		if closing {
			select {
			case <-finished:
			case <-time.After(time.Second):
			}
		}
		c.shutdown()
	}
}

// checkSession asks the auth service whether the request's token is a live session.
func checkSession(r *http.Request, authURL string) int {
	authorization := r.Header.Get("Authorization")
	if token := r.URL.Query().Get("token"); token != "" {
		authorization = "Bearer " + token
	}
	if authorization == "" {
		return http.StatusUnauthorized
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, strings.TrimRight(authURL, "/")+"/auth/session", nil)
	if err != nil {
		return http.StatusServiceUnavailable
	}
	req.Header.Set("Authorization", authorization)
	res, err := (&http.Client{Timeout: 3 * time.Second}).Do(req)
	if err != nil {
		return http.StatusServiceUnavailable
	}
	res.Body.Close()
	switch {
	case res.StatusCode == http.StatusOK:
		return http.StatusOK
	case res.StatusCode == http.StatusUnauthorized:
		return http.StatusUnauthorized
	default:
		return http.StatusServiceUnavailable
	}
}

// ---- Health ----

// redisPing sends AUTH (when the URL has a password) and PING over RESP, and expects +PONG.
func redisPing(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "6379")
	}
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	commands := [][]string{}
	if password, ok := u.User.Password(); ok && password != "" {
		if user := u.User.Username(); user != "" {
			commands = append(commands, []string{"AUTH", user, password})
		} else {
			commands = append(commands, []string{"AUTH", password})
		}
	}
	commands = append(commands, []string{"PING"})
	var out strings.Builder
	for _, args := range commands {
		fmt.Fprintf(&out, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&out, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	if _, err := io.WriteString(conn, out.String()); err != nil {
		return err
	}
	replies := bufio.NewReader(conn)
	var line string
	for range commands {
		if line, err = replies.ReadString('\n'); err != nil {
			return err
		}
		if strings.HasPrefix(line, "-") {
			return errors.New("redis: " + strings.TrimSpace(line[1:]))
		}
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("redis: unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}

func serveHealth(sessionsURL string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if sessionsURL != "" {
			if err := redisPing(sessionsURL); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "{\"status\":\"unavailable\",\"redis\":%q}\n", err.Error())
				return
			}
		}
		fmt.Fprintln(w, `{"status":"ok"}`)
	}
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "9000"
	}
	h := newHub()
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", serveWebSocket(h, os.Getenv("AUTH_URL")))
	mux.HandleFunc("/healthz", serveHealth(os.Getenv("SESSIONS_URL")))
	server := &http.Server{Addr: "0.0.0.0:" + port, Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-stop
		h.closeAll() // hijacked connections are not tracked by Shutdown
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		server.Shutdown(ctx)
	}()

	log.Printf("realtime listening on %s", server.Addr)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the close frames go out
}
