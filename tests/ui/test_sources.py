"""Sources you can see: "Why this question?" under each guide question, "Why this block?" under each kick-off block,
"What is this based on?" under each IT-tools criterion and each facilitation method, each naming its source."""

from __future__ import annotations

from nicegui import app
from nicegui.testing import User

from core.cited import cited_in

from .helpers import PASSWORD, log_in


def nl(source: str) -> str:
    return cited_in(source, 'nl')  # the page is Dutch: a translated source reads in Dutch


async def _coordinator(user: User) -> tuple[str, str]:
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Bronnen'})
    await log_in(user, 'owner@example.be')
    return owner.id, community.id


async def test_the_guide_kickoff_ittools_and_facilitation_pages_show_their_sources(user: User):
    services, content = app.state.services, app.state.services.content
    owner, cid = await _coordinator(user)

    # the guide, public and inside the community: one disclosure per question, in the question's card
    phase = content.guide.phases[1]
    for path in (f'/guide?phase={phase.id}', f'/c/{cid}/guide?phase={phase.id}'):
        await user.open(path)
        for question in phase.questions:
            await user.should_see(marker=f'based-on-{question.id}')
            await user.should_see(f'Gebaseerd op: {nl(question.source)}')
        assert len(user.find('Waarom deze vraag?').elements) == len(phase.questions)

    # the kick-off editor: every block of the template, with its method's source when it has one; the library
    scenario = await services.kickoff.create(owner, cid, title='Start', lang='nl', template_id='kickoff_half_day')
    await user.open(f'/c/{cid}/kickoff/{scenario.id}')
    for block in scenario.blocks:
        await user.should_see(marker=f'block-source-{block.id}')
        expected = content.kickoff.block_source('kickoff_half_day', block.kind, block.method)
        await user.should_see(f'Gebaseerd op: {nl(expected)}')
    assert len(user.find('Waarom dit blok?').elements) == len(scenario.blocks)
    for method in content.kickoff.methods:
        await user.should_see(marker=f'method-source-{method.id}')

    # the IT-tools: choosing the tools and criteria of a new comparison shows what each catalogue entry is based on
    await user.open(f'/c/{cid}/ittools/new')
    for tool in content.ittools.tools:
        await user.should_see(marker=f'tool-source-{tool.id}')
        await user.should_see(f'Gebaseerd op: {nl(tool.source)}')
    for criterion in (c for group in content.ittools.groups for c in group.criteria):
        await user.should_see(marker=f'criterion-source-{criterion.id}')

    # the IT-tools setup: each catalogue tool and criterion, not the own ones (they have no source to show)
    ittools = services.ittools
    actor = ittools.user_actor(services.accounts.get(owner), cid)
    comparison = await ittools.create(actor, cid, 'Vergelijking', template_id='m365')
    await ittools.add_criterion(actor, cid, comparison.id, title='Eigen criterium', explanation='Van ons.')
    await ittools.add_tool(actor, cid, comparison.id, name='Eigen wiki', description='Van ons.')
    comparison = ittools.comparison(actor, cid, comparison.id)
    await user.open(f'/c/{cid}/ittools/{comparison.id}/setup')
    own = [c for c in comparison.criteria if not c.catalogue]
    own_tools = [tool for tool in comparison.tools if not tool.catalogue]
    assert len(own) == 1 and len(own_tools) == 1
    for criterion in comparison.criteria:
        if criterion.catalogue:
            await user.should_see(marker=f'criterion-source-{criterion.id}')
            await user.should_see(f'Gebaseerd op: {nl(content.ittools.criterion(criterion.id).source)}')
    for tool in comparison.tools:
        if tool.catalogue:
            await user.should_see(marker=f'tool-source-{tool.id}')
            await user.should_see(f'Gebaseerd op: {nl(content.ittools.tool(tool.id).source)}')
    await user.should_not_see(marker=f'criterion-source-{own[0].id}')
    await user.should_not_see(marker=f'tool-source-{own_tools[0].id}')
    based = len(comparison.criteria) - 1 + len(comparison.tools) - 1
    assert len(user.find('Waarop is dit gebaseerd?').elements) == based

    # facilitation: a session on a library method shows what the method is based on; the checklist's questions why
    session = await services.facilitation.record(owner, cid, name='Intervisie', day='2026-03-02', method='Dot voting')
    await user.open(f'/c/{cid}/facilitation/{session.id}')
    await user.should_see(marker='method-source')
    await user.should_see(f'Gebaseerd op: {nl(content.kickoff.method("dot_voting").source)}')
    await user.open(f'/c/{cid}/facilitation/{session.id}/answer')
    first = services.facilitation.instrument.dimensions[0].items[0]
    await user.should_see(marker=f'based-on-{first.id}')
    other = await services.facilitation.record(owner, cid, name='Overleg', day='2026-03-03', method='Gewoon praten')
    await user.open(f'/c/{cid}/facilitation/{other.id}')
    await user.should_see('Gewoon praten')
    await user.should_not_see(marker='method-source')  # a method of one's own: nothing to cite

    # the dossier's web page ends with the same appendix as the PDF: the works behind its kick-off scenario
    await user.open(f'/c/{cid}/dossier')
    await user.should_see(marker='dossier-sources')
    await user.should_see('Bronnen')
    await user.should_see(content.sources.work_of('APQC').reference)  # the charter block of the half-day template
