#!/usr/bin/python3
"""A real RTSP server for the tests: GStreamer's RTSP server serving one H.264 MP4 file.

Run it with Debian's interpreter (/usr/bin/python3): the GObject bindings load only there.
  /usr/bin/python3 rtsp-clip-server.py --port 8554 --file clip.mp4 [--path /stream] [--user U --password P]
Prints one line `READY rtsp://127.0.0.1:PORT/PATH` on stdout once it listens; exits on SIGTERM/SIGINT.
The media factory is shared, so every client sees the same live stream (like a real camera).
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--file", required=True, help="H.264 in MP4")
    parser.add_argument("--path", default="/stream")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--user")
    parser.add_argument("--password")
    return parser.parse_args()


def gst_quote(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    args = parse_args()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( filesrc location=%s ! qtdemux ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 )"
        % gst_quote(args.file)
    )
    factory.set_shared(True)

    if args.user is not None:
        # Basic auth: a client without the right credentials gets 401, as from a real camera.
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("viewer", "media.factory.access", True)
        permissions.add_permission_for_role("viewer", "media.factory.construct", True)
        factory.set_permissions(permissions)

    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print("ERROR cannot listen on %s:%d" % (args.host, args.port), flush=True)
        sys.exit(1)

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print("READY rtsp://%s:%d%s" % (args.host, server.get_bound_port(), args.path), flush=True)
    loop.run()


if __name__ == "__main__":
    main()
