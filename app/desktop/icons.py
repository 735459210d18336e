"""The tray and window icons, drawn in code (no image files to lose in packaging).

A shield: green when watching, grey when paused, red when the last copy was blocked.
"""

from __future__ import annotations

from functools import lru_cache

from .qt import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPointF, Qt

COLOURS = {"on": "#1b7f4b", "off": "#8a8f98", "blocked": "#c62828", "busy": "#1565c0"}


def _shield_pixmap(size: int, colour: str) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 32.0
    path = QPainterPath()
    path.moveTo(QPointF(16 * s, 2 * s))
    path.lineTo(QPointF(28 * s, 6 * s))
    path.cubicTo(QPointF(28 * s, 18 * s), QPointF(23 * s, 26 * s), QPointF(16 * s, 30 * s))
    path.cubicTo(QPointF(9 * s, 26 * s), QPointF(4 * s, 18 * s), QPointF(4 * s, 6 * s))
    path.closeSubpath()
    painter.setPen(QPen(QColor("#ffffff"), max(1.0, 1.2 * s)))
    painter.setBrush(QColor(colour))
    painter.drawPath(path)
    # A keyhole: "kept closed".
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ffffff"))
    painter.drawEllipse(QPointF(16 * s, 13 * s), 3.2 * s, 3.2 * s)
    hole = QPainterPath()
    hole.moveTo(QPointF(14.2 * s, 14.5 * s))
    hole.lineTo(QPointF(17.8 * s, 14.5 * s))
    hole.lineTo(QPointF(18.6 * s, 22 * s))
    hole.lineTo(QPointF(13.4 * s, 22 * s))
    hole.closeSubpath()
    painter.drawPath(hole)
    painter.end()
    return pixmap


@lru_cache(maxsize=8)
def app_icon(state: str = "on") -> QIcon:
    colour = COLOURS.get(state, COLOURS["on"])
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_shield_pixmap(size, colour))
    return icon


def save_icon_files(folder) -> list[str]:
    """Write PNGs of every state (for installers and the README); returns the paths."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for state, colour in COLOURS.items():
        for size in (32, 256):
            path = folder / f"giukin-{state}-{size}.png"
            _shield_pixmap(size, colour).save(str(path), "PNG")
            written.append(str(path))
    return written
