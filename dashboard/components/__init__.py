"""Builder functions shared by screens: the indicator tile, the alert strip, SVG charts, and the palette."""
