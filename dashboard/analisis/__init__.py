"""The analysis explorer's pieces (/analisis): its state in the URL, controls, figures, result, records and definition."""
