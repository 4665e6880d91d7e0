import CanvassCLI

Canvass.main()
