"""The product app plus one route that returns precomputed bytes: the bench's baseline, served
by the same server process, middleware included."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response

from pressroom.main import create_app


def create() -> FastAPI:
    app = create_app()
    folder = Path(os.environ["PRESSROOM_BENCH_DIR"])
    bodies = {name: (folder / f"{name}.html").read_bytes()
              for name in json.loads((folder / "pages.json").read_text())}

    @app.get("/__baseline/{name}", include_in_schema=False)
    def baseline(name: str) -> Response:
        return Response(bodies[name], media_type="text/html; charset=utf-8")

    return app
