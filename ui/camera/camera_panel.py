"""The camera panel: a live preview whose frames go through the same scan pipeline as the
scanner. With no camera it says so and the desk carries on with the scanner."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.camera.frame_decoder import FrameDecoder

FRAME_INTERVAL = 1 / 12  # decode at most 12 frames a second: enough, and spares the CPU


class CameraPanel(QWidget):
    scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decoder = FrameDecoder(self)
        self.decoder.decoded.connect(self.scanned)
        self.message = QLabel(wordWrap=True)
        self.devices = QComboBox()
        self.toggle = QPushButton()
        self.toggle.clicked.connect(self._toggle)
        self.preview: QWidget | None = None
        self._camera: object | None = None
        self._session: object | None = None
        self._last_frame = 0.0
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.devices)
        layout.addWidget(self.toggle)
        layout.addWidget(self.message)
        self._inputs = self._find_cameras()
        for device in self._inputs:
            self.devices.addItem(device.description(), device.id())  # type: ignore[attr-defined]
        if not self._inputs:
            self.devices.setEnabled(False)
            self.toggle.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.devices.setAccessibleName(self.tr("Camera"))
        self.toggle.setAccessibleName(self.tr("Start or stop the camera"))
        self.toggle.setText(self.tr("Stop camera") if self._camera else self.tr("Start camera"))
        if not self._inputs:
            self.message.setText(self.tr("No camera found. Plug in a webcam or use the scanner."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def has_camera(self) -> bool:
        return bool(self._inputs)

    def camera_id(self) -> bytes | None:
        data = self.devices.currentData()
        return bytes(data) if data is not None else None

    def set_camera_id(self, device_id: bytes) -> None:
        index = self.devices.findData(device_id)
        if index >= 0:
            self.devices.setCurrentIndex(index)

    def _find_cameras(self) -> list[object]:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:  # QtMultimedia needs system audio/video libraries
            return []
        return list(QMediaDevices.videoInputs())

    def _toggle(self) -> None:
        if self._camera is not None:
            self.stop()
            return
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        device = self._inputs[max(0, self.devices.currentIndex())]
        camera = QCamera(device)  # type: ignore[call-overload]
        session = QMediaCaptureSession(self)
        session.setCamera(camera)
        preview = QVideoWidget(self)
        session.setVideoOutput(preview)
        preview.videoSink().videoFrameChanged.connect(self._frame)
        self._layout.addWidget(preview)
        camera.errorOccurred.connect(lambda _e, text: self.message.setText(text))
        camera.start()
        self._camera, self._session, self.preview = camera, session, preview
        self.retranslate()

    def _frame(self, frame: object) -> None:
        now = time.monotonic()
        if now - self._last_frame < FRAME_INTERVAL:
            return
        self._last_frame = now
        image = frame.toImage()  # type: ignore[attr-defined]
        self.decoder.submit(image)

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()  # type: ignore[attr-defined]
        if self.preview is not None:
            self.preview.deleteLater()
        self._camera = self._session = self.preview = None
        self.retranslate()

    def closeEvent(self, event: object) -> None:
        self.stop()
        self.decoder.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
