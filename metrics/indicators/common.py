"""What declarations of several domains share: smart-city dimensions, SPBE service indicators, growth."""

from __future__ import annotations

from metrics.indicator import Target, Thresholds

# Dimensions as the Gerakan Menuju 100 Smart City guide names them (reference/smart-city.md). Smart Economy rests
# on regional tax and levy payments (financial transactions); no source covers its industry or welfare elements.
GOVERNANCE = "Smart Governance"
SOCIETY = "Smart Society"
LIVING = "Smart Living"
ENVIRONMENT = "Smart Environment"
BRANDING = "Smart Branding"
ECONOMY = "Smart Economy"

SPBE_SERVICE = (45, 46, 47)  # SPBE sector-service indicators (PermenPANRB 59/2020)

# Indicators judged on their change on the same period a year before.
GROWTH = Target(0.0, "Target daerah (konfigurasi): tumbuh dibanding periode yang sama tahun lalu")
GROWTH_BANDS = Thresholds(green=0.0, amber=-10.0)  # change on a year before, %

