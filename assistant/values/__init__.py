"""Values found in Chinese text (amounts, dates, percentages), rendered in English and checked.

The corpus is Chinese and the answers are bilingual, so every number an English answer states was
converted from a Chinese unit (万 = 1e4, 亿 = 1e8). That conversion is where translations go wrong
(7.43 亿元 is RMB 743 million, not 7.43 billion), so the conversion lives in one package, does its
arithmetic in `Decimal` (0.46 × 1e8 must be 46 million exactly, never 45999999.99…), and comes
with a parser for the English side so a build can check that a translation kept its numbers:
`parsing` reads Chinese, `english` reads English, `rendering` writes English, `comparison` checks.
"""
